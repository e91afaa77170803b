import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sample } from '../ops/ops-app.js';
import { startHttpApp, type HttpApp } from './http-app.js';

describe('GET /metrics, on the HTTP service', () => {
  let service: HttpApp;
  const scrape = async () => (await service.http.get('/metrics').expect(200)).text;

  beforeAll(async () => {
    service = await startHttpApp();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('times HTTP requests by method, route template and status, never by path', async () => {
    const run = (await service.http.post('/runs').send({}).expect(201)).body as { runId: string };
    await service.http.get(`/runs/${run.runId}/status`).expect(200);
    await service.http.get('/runs/no-such-run/status').expect(404);
    await service.http.get('/no/such/route').expect(404);

    const metrics = await scrape();
    expect(sample(metrics, 'runtree_http_request_duration_seconds_count{method="POST",route="/runs",status="201"}')).toBe(1);
    expect(sample(metrics, 'runtree_http_request_duration_seconds_count{method="GET",route="/runs/:runId/status",status="200"}')).toBe(1);
    expect(sample(metrics, 'runtree_http_request_duration_seconds_count{method="GET",route="/runs/:runId/status",status="404"}')).toBe(1);
    expect(sample(metrics, 'runtree_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(metrics).not.toContain(run.runId);
  });

  it('times event store appends and reads by outcome', async () => {
    const before = await scrape();
    await service.http.post('/runs').send({}).expect(201);
    const after = await scrape();
    const appends = (metrics: string) => sample(metrics, 'runtree_store_call_duration_seconds_count{call="append",outcome="ok"}') ?? 0;
    expect(appends(after)).toBeGreaterThan(appends(before));
    expect(sample(after, 'runtree_store_call_duration_seconds_count{call="read",outcome="ok"}')).toBeGreaterThan(0);
    expect(after).toContain('# TYPE runtree_store_call_duration_seconds histogram');
  });
});
