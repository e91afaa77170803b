import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Orchestrator, OrchestratorError } from '@runtree/orchestration';
import { eventually, sample, startOpsApp } from './ops-app.js';

describe('GET /metrics', () => {
  let app: INestApplication;
  let orchestrator: Orchestrator;

  const scrape = async (): Promise<string> => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text;
  };

  beforeAll(async () => {
    app = await startOpsApp({ kind: 'sqlite', path: ':memory:' });
    orchestrator = app.get(Orchestrator);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('counts operations by outcome (ok or the error code) and times them, next to the default process metrics', async () => {
    await orchestrator.startRun();
    await orchestrator.startRun();
    await expect(orchestrator.status('no-such-run')).rejects.toBeInstanceOf(OrchestratorError);

    const metrics = await scrape();

    expect(sample(metrics, 'runtree_operations_total{operation="startRun",outcome="ok"}')).toBe(2);
    expect(sample(metrics, 'runtree_operations_total{operation="status",outcome="not_found"}')).toBe(1);
    expect(sample(metrics, 'runtree_operation_duration_seconds_count{operation="startRun"}')).toBe(2);
    expect(sample(metrics, 'runtree_operation_duration_seconds_bucket{le="+Inf",operation="startRun"}')).toBe(2);
    expect(sample(metrics, 'runtree_operation_duration_seconds_count{operation="status"}')).toBe(1);
    expect(sample(metrics, 'runtree_operation_duration_seconds_sum{operation="startRun"}')).toBeGreaterThan(0);
    expect(metrics).toContain('# TYPE runtree_operation_duration_seconds histogram');
    expect(sample(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('shows the projection caught up: its checkpoint, no lag, and the runs of the read models', async () => {
    const before = await scrape();
    await orchestrator.startRun();

    const after = await scrape();

    expect(sample(after, 'runtree_projection_lag_events')).toBe(0);
    expect(sample(after, 'runtree_read_model_runs')).toBe(sample(before, 'runtree_read_model_runs')! + 1);
    expect(sample(after, 'runtree_projection_checkpoint')).toBeGreaterThan(sample(before, 'runtree_projection_checkpoint')!);
  });

  it('shows the waiters and the watched runs while awaits are pending, and none once the run ended', async () => {
    const run = await orchestrator.startRun();
    const awaits = Promise.all([orchestrator.await(run.runId, 60_000), orchestrator.await(run.runId, 60_000)]);

    try {
      await eventually(async () => {
        const metrics = await scrape();
        expect(sample(metrics, 'runtree_await_waiters')).toBe(2);
        expect(sample(metrics, 'runtree_await_watchers')).toBe(1);
      });
    } finally {
      // Even when the gauges are wrong: a pending await would reject at shutdown, unobserved.
      await orchestrator.completeRun(run.runId);
    }
    await awaits;
    const metrics = await scrape();
    expect(sample(metrics, 'runtree_await_waiters')).toBe(0);
    expect(sample(metrics, 'runtree_await_watchers')).toBe(0);
    expect(sample(metrics, 'runtree_operations_total{operation="await",outcome="ok"}')).toBe(2);
  });
});
