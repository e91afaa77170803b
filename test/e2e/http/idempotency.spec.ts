import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, CollectResult } from '@runtree/orchestration';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(async () => {
  await h.close();
});

async function journalLength(runId: string): Promise<number> {
  const collected = (await h.http.get(`/runs/${runId}?includeDescendants=true`).expect(200)).body as CollectResult;
  return collected.journal?.length ?? 0;
}

describe('an Idempotency-Key header', () => {
  it('makes a retried start answer the same run and append nothing', async () => {
    const send = () => h.http.post('/runs').set('Idempotency-Key', 'start-once').send({ kind: 'retried' }).expect(201);
    const first = await send();
    const retry = await send();
    expect(retry.body).toEqual(first.body);
    expect(await journalLength(first.body.runId)).toBe(1);
  });

  it('makes a retried spawn, complete and cancel append nothing', async () => {
    const root = await startRun(h);
    const spawn = () => h.http.post(`/runs/${root.runId}/children`).set('Idempotency-Key', `spawn-${root.runId}`).send({ kind: 'worker' }).expect(201);
    const child = (await spawn()).body as Child;
    expect((await spawn()).body).toEqual(child);

    const complete = () => h.http.post(`/runs/${child.run.runId}/complete`).set('Idempotency-Key', `complete-${root.runId}`).send({ output: 1 }).expect(200);
    expect((await complete()).body).toEqual((await complete()).body);

    const cancel = () => h.http.post(`/runs/${root.runId}/cancel`).set('Idempotency-Key', `cancel-${root.runId}`).send({ reason: 'stop' }).expect(200);
    await cancel();
    const settled = await journalLength(root.runId);
    await cancel();
    expect(await journalLength(root.runId)).toBe(settled);
    expect(((await h.http.get(`/runs/${root.runId}/children`).expect(200)).body as Child[]).map((entry) => entry.run.runId)).toEqual([child.run.runId]);
  });

  it('is the commandId: a body commandId that agrees is accepted, one that differs is refused (400)', async () => {
    await h.http.post('/sessions').set('Idempotency-Key', 'same').send({ commandId: 'same' }).expect(201);
    const response = await h.http.post('/sessions').set('Idempotency-Key', 'header-key').send({ commandId: 'body-key' }).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'commandId' } });
  });
});
