import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, CollectResult, Session, Step, Thread } from '@runtree/orchestration';
import { errorOf, startHttpApp, startRun, TEST_ADMIN_TOKEN, type HttpApp } from './http-app.js';

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp({ env: { RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
});
afterAll(async () => {
  await h.close();
});

describe('steps', () => {
  it('starts (201), completes and fails steps (200)', async () => {
    const run = await startRun(h);
    const fetched = (await h.http.post(`/runs/${run.runId}/steps`).send({ name: 'fetch', input: 'url' }).expect(201)).body as Step;
    expect(fetched).toMatchObject({ runId: run.runId, name: 'fetch', status: 'running', input: 'url' });
    const parsed = (await h.http.post(`/runs/${run.runId}/steps`).send({ stepId: 'parse' }).expect(201)).body as Step;

    const completed = await h.http.post(`/runs/${run.runId}/steps/${fetched.stepId}/complete`).send({ output: 200 }).expect(200);
    expect(completed.body).toMatchObject({ stepId: fetched.stepId, status: 'completed', output: 200 });
    const failed = await h.http.post(`/runs/${run.runId}/steps/${parsed.stepId}/fail`).send({ error: 'bad html' }).expect(200);
    expect(failed.body).toMatchObject({ stepId: 'parse', status: 'failed', error: 'bad html' });
  });

  it('refuses an unknown step (404), a second transition (409) and a step in a finished run (409)', async () => {
    const run = await startRun(h);
    expect(errorOf(await h.http.post(`/runs/${run.runId}/steps/nope/complete`).send({}).expect(404)).code).toBe('not_found');
    const step = (await h.http.post(`/runs/${run.runId}/steps`).send({}).expect(201)).body as Step;
    await h.http.post(`/runs/${run.runId}/steps/${step.stepId}/complete`).send({}).expect(200);
    expect(errorOf(await h.http.post(`/runs/${run.runId}/steps/${step.stepId}/fail`).send({ error: 'x' }).expect(409)).code).toBe('invalid_status_transition');
    await h.http.post(`/runs/${run.runId}/complete`).send({}).expect(200);
    expect(errorOf(await h.http.post(`/runs/${run.runId}/steps`).send({}).expect(409)).code).toBe('invalid_status_transition');
  });
});

describe('sessions and threads', () => {
  it('opens a session (201), starts a thread in it (201), closes both (200)', async () => {
    const session = (await h.http.post('/sessions').send({ metadata: { user: 'ada' } }).expect(201)).body as Session;
    expect(session).toMatchObject({ status: 'open', metadata: { user: 'ada' } });
    const thread = (await h.http.post(`/sessions/${session.sessionId}/threads`).send({ name: 'chat' }).expect(201)).body as Thread;
    expect(thread).toMatchObject({ sessionId: session.sessionId, name: 'chat', status: 'open' });

    expect((await h.http.post(`/threads/${thread.threadId}/close`).expect(200)).body).toMatchObject({ threadId: thread.threadId, status: 'closed' });
    expect((await h.http.post(`/sessions/${session.sessionId}/close`).expect(200)).body).toMatchObject({ sessionId: session.sessionId, status: 'closed' });
  });

  it('runs a child in a thread of a session, and refuses closed ones (409)', async () => {
    const session = (await h.http.post('/sessions').send({}).expect(201)).body as Session;
    const thread = (await h.http.post(`/sessions/${session.sessionId}/threads`).send({}).expect(201)).body as Thread;
    const root = await startRun(h, { sessionId: session.sessionId });
    const child = (await h.http.post(`/runs/${root.runId}/children`).send({ thread: thread.threadId }).expect(201)).body as Child;
    expect(child).toMatchObject({ substrate: 'thread', sessionId: session.sessionId, threadId: thread.threadId });

    await h.http.post(`/threads/${thread.threadId}/close`).expect(200);
    expect(errorOf(await h.http.post(`/runs/${root.runId}/children`).send({ thread: thread.threadId }).expect(409)).code).toBe('thread_closed');
    await h.http.post(`/sessions/${session.sessionId}/close`).expect(200);
    expect(errorOf(await h.http.post(`/sessions/${session.sessionId}/threads`).send({}).expect(409)).code).toBe('session_closed');
  });

  it('refuses a taken session id (409), unknown sessions and threads (404)', async () => {
    await h.http.post('/sessions').send({ sessionId: 'shared' }).expect(201);
    expect(errorOf(await h.http.post('/sessions').send({ sessionId: 'shared' }).expect(409)).code).toBe('already_exists');
    expect(errorOf(await h.http.post('/sessions/nope/close').expect(404)).code).toBe('session_not_found');
    expect(errorOf(await h.http.post('/threads/nope/close').expect(404)).code).toBe('thread_not_found');
    const root = await startRun(h, { sessionId: 'shared' });
    expect(errorOf(await h.http.post(`/runs/${root.runId}/children`).send({ thread: 'nope' }).expect(404)).code).toBe('thread_not_found');
  });
});

describe('admin', () => {
  it('clears the read models and rebuilds them from the journal (200 { ok: true })', async () => {
    const run = await startRun(h, { kind: 'kept' });
    expect((await h.http.post('/admin/clear').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200)).body).toEqual({ ok: true });
    expect(errorOf(await h.http.get(`/runs/${run.runId}/status`).expect(404)).code).toBe('not_found');
    expect((await h.http.post('/admin/rebuild').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200)).body).toEqual({ ok: true });
    const restored = (await h.http.get(`/runs/${run.runId}`).expect(200)).body as CollectResult;
    expect(restored.run).toMatchObject({ runId: run.runId, kind: 'kept', status: 'running' });
  });
});
