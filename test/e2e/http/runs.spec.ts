import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AwaitResult, CancelResult, Child, ChildStatus, CollectResult, Run } from '@runtree/orchestration';
import { get } from 'node:http';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';
import { eventually, sample } from '../ops/ops-app.js';

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(async () => {
  await h.close();
});

describe('POST /runs', () => {
  it('starts a root run with the given options (201)', async () => {
    const response = await h.http.post('/runs').send({ kind: 'research', input: { q: 'why' }, metadata: { team: 'a' } }).expect(201);
    expect(response.body).toMatchObject({ kind: 'research', status: 'running', input: { q: 'why' }, metadata: { team: 'a' } });
  });

  it('starts a run with no body at all', async () => {
    const response = await h.http.post('/runs').expect(201);
    expect(response.body).toMatchObject({ kind: 'run', status: 'running' });
  });

  it('refuses a taken run id (409 already_exists)', async () => {
    await startRun(h, { runId: 'taken' });
    const response = await h.http.post('/runs').send({ runId: 'taken' }).expect(409);
    expect(errorOf(response).code).toBe('already_exists');
  });

  it('names an unknown option (400 unsupported_option) and a mistyped one (400 invalid_option)', async () => {
    const unknown = await h.http.post('/runs').send({ knd: 'typo' }).expect(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'unsupported_option', details: { field: 'knd' } });
    const mistyped = await h.http.post('/runs').send({ metadata: 'not an object' }).expect(400);
    expect(errorOf(mistyped)).toMatchObject({ code: 'invalid_option', details: { field: 'metadata' } });
  });

  it('refuses an unknown session (404 session_not_found)', async () => {
    const response = await h.http.post('/runs').send({ sessionId: 'no-such-session' }).expect(404);
    expect(errorOf(response).code).toBe('session_not_found');
  });
});

describe('GET /runs/:runId (collect)', () => {
  it('includes steps and the journal by default, descendants when asked', async () => {
    const root = await startRun(h);
    const child = (await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201)).body as Child;
    await h.http.post(`/runs/${child.run.runId}/children`).send({}).expect(201);

    const plain = (await h.http.get(`/runs/${root.runId}`).expect(200)).body as CollectResult;
    expect(plain.run.runId).toBe(root.runId);
    expect(plain.children.map((entry) => entry.run.runId)).toEqual([child.run.runId]);
    expect(plain.steps).toEqual([]);
    expect(plain.journal?.map((entry) => entry.type)).toEqual(['RunStarted', 'ChildSpawned']);
    expect(plain.descendants).toBeUndefined();

    const tree = (await h.http.get(`/runs/${root.runId}?includeDescendants=true&includeJournal=false&includeSteps=false`).expect(200)).body as CollectResult;
    expect(tree.descendants).toHaveLength(2);
    expect(tree.journal).toBeUndefined();
    expect(tree.steps).toBeUndefined();
  });

  it("refuses a flag that is not 'true' or 'false' (400 invalid_option) and an unknown key (400 unsupported_option)", async () => {
    const root = await startRun(h);
    const notBoolean = await h.http.get(`/runs/${root.runId}?includeSteps=yes`).expect(400);
    expect(errorOf(notBoolean)).toMatchObject({ code: 'invalid_option', details: { field: 'includeSteps' } });
    const unknown = await h.http.get(`/runs/${root.runId}?includeEverything=true`).expect(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'unsupported_option', details: { field: 'includeEverything' } });
  });

  it('answers 404 not_found for an unknown run', async () => {
    const response = await h.http.get('/runs/no-such-run').expect(404);
    expect(errorOf(response)).toMatchObject({ code: 'not_found', details: { runId: 'no-such-run' } });
  });
});

describe('GET /runs/:runId/status and /children', () => {
  it('reports counts and lists the children oldest first', async () => {
    const root = await startRun(h);
    const first = (await h.http.post(`/runs/${root.runId}/children`).send({ kind: 'first' }).expect(201)).body as Child;
    const second = (await h.http.post(`/runs/${root.runId}/children`).send({ kind: 'second' }).expect(201)).body as Child;
    await h.http.post(`/runs/${first.run.runId}/complete`).send({}).expect(200);

    const status = (await h.http.get(`/runs/${root.runId}/status`).expect(200)).body as ChildStatus;
    expect(status).toMatchObject({ childCount: 2, activeChildCount: 1, awaitable: true });
    const children = (await h.http.get(`/runs/${root.runId}/children`).expect(200)).body as Child[];
    expect(children.map((child) => child.run.runId)).toEqual([first.run.runId, second.run.runId]);
  });

  it('answers 404 for unknown runs and 400 for query keys these routes do not take', async () => {
    expect(errorOf(await h.http.get('/runs/nope/status').expect(404)).code).toBe('not_found');
    expect(errorOf(await h.http.get('/runs/nope/children').expect(404)).code).toBe('parent_not_found');
    const root = await startRun(h);
    expect(errorOf(await h.http.get(`/runs/${root.runId}/status?verbose=true`).expect(400)).code).toBe('unsupported_option');
  });
});

describe('POST /runs/:runId/children (spawn)', () => {
  it('spawns a child in its own session with a new thread (201)', async () => {
    const root = await startRun(h);
    const response = await h.http
      .post(`/runs/${root.runId}/children`)
      .send({ kind: 'worker', input: 1, session: { open: {} }, thread: { start: { name: 'main' } } })
      .expect(201);
    expect(response.body).toMatchObject({ relation: 'spawned', substrate: 'session_thread', parentRunId: root.runId, ownsSession: true, run: { kind: 'worker', input: 1 } });
  });

  it.each([
    ['an invalid session target', { session: 42 }, 400, 'invalid_session_target'],
    ['an invalid thread target', { thread: 42 }, 400, 'invalid_thread_target'],
    ['a thread without a session', { session: 'none', thread: { start: {} } }, 400, 'session_required_for_thread'],
    ['an unknown session', { session: 'no-such-session' }, 404, 'session_not_found'],
  ])('refuses %s', async (_case, body, status, code) => {
    const root = await startRun(h);
    const response = await h.http.post(`/runs/${root.runId}/children`).send(body).expect(status);
    expect(errorOf(response).code).toBe(code);
  });

  it('refuses an unknown parent (404 parent_not_found) and a finished one (409 parent_not_running)', async () => {
    expect(errorOf(await h.http.post('/runs/nope/children').send({}).expect(404)).code).toBe('parent_not_found');
    const root = await startRun(h);
    await h.http.post(`/runs/${root.runId}/complete`).send({}).expect(200);
    const response = await h.http.post(`/runs/${root.runId}/children`).send({}).expect(409);
    expect(errorOf(response)).toMatchObject({ code: 'parent_not_running', details: { status: 'completed' } });
  });
});

describe('POST /runs/:runId/delegations', () => {
  it('delegates a task: the child run gets it as its input (201)', async () => {
    const root = await startRun(h);
    const response = await h.http.post(`/runs/${root.runId}/delegations`).send({ task: { index: 'docs' }, metadata: { by: 'test' } }).expect(201);
    expect(response.body).toMatchObject({ kind: 'delegated_task', relation: 'delegated', parentRunId: root.runId, input: { index: 'docs' } });
  });

  it('refuses a missing task and an input (400)', async () => {
    const root = await startRun(h);
    expect(errorOf(await h.http.post(`/runs/${root.runId}/delegations`).send({}).expect(400))).toMatchObject({ code: 'invalid_option', details: { field: 'task' } });
    const withInput = await h.http.post(`/runs/${root.runId}/delegations`).send({ task: 1, input: 2 }).expect(400);
    expect(errorOf(withInput)).toMatchObject({ code: 'unsupported_option', details: { field: 'input' } });
  });
});

describe('POST /runs/:runId/cancel', () => {
  it('cancels the tree, descendants first (200)', async () => {
    const root = await startRun(h);
    const child = (await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201)).body as Child;
    const response = await h.http.post(`/runs/${root.runId}/cancel`).send({ reason: 'enough' }).expect(200);
    expect(response.body as CancelResult).toEqual({ runId: root.runId, cancelled: [child.run.runId, root.runId] });
    const cancelledChild = (await h.http.get(`/runs/${child.run.runId}/status`).expect(200)).body as ChildStatus;
    expect(cancelledChild.run).toMatchObject({ status: 'cancelled', cancelReason: { cancelledByParent: root.runId, reason: 'enough' } });
  });

  it('answers 404 not_found for an unknown run', async () => {
    expect(errorOf(await h.http.post('/runs/nope/cancel').send({}).expect(404)).code).toBe('not_found');
  });
});

describe('GET /runs/:runId/await', () => {
  it('answers once another request completes the run', async () => {
    const root = await startRun(h);
    const waiting = h.http.get(`/runs/${root.runId}/await?timeoutMs=10000`).then((response) => response);
    await h.http.post(`/runs/${root.runId}/complete`).send({ output: { answer: 42 } }).expect(200);
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(response.body as AwaitResult).toMatchObject({ status: 'completed', output: { answer: 42 }, run: { runId: root.runId } });
  });

  it('answers 408 timeout for a run still running when the time is up', async () => {
    const root = await startRun(h);
    const response = await h.http.get(`/runs/${root.runId}/await?timeoutMs=0`).expect(408);
    expect(errorOf(response).code).toBe('timeout');
  });

  it.each([['abc'], ['-1'], ['1.5'], ['']])('refuses timeoutMs=%s (400 invalid_timeout)', async (value) => {
    const root = await startRun(h);
    const response = await h.http.get(`/runs/${root.runId}/await?timeoutMs=${value}`).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_timeout', details: { field: 'timeoutMs' } });
  });

  it('stops watching the run as soon as the client disconnects, and a later await still answers', async () => {
    const watchedRuns = async (): Promise<number | undefined> => sample((await h.http.get('/metrics').expect(200)).text, 'runtree_await_watchers');
    const root = await startRun(h);
    const leaving = get(`${await h.listen()}/runs/${root.runId}/await?timeoutMs=60000`);
    leaving.on('error', () => undefined); // the socket the test destroys
    await eventually(async () => expect(await watchedRuns()).toBe(1));

    leaving.destroy();
    await eventually(async () => expect(await watchedRuns()).toBe(0), 2_000);

    const waiting = h.http.get(`/runs/${root.runId}/await?timeoutMs=60000`).then((response) => response);
    await eventually(async () => expect(await watchedRuns()).toBe(1));
    await h.http.post(`/runs/${root.runId}/complete`).send({ output: 'still answered' }).expect(200);
    expect((await waiting).body as AwaitResult).toMatchObject({ status: 'completed', output: 'still answered' });
    expect(await watchedRuns()).toBe(0);
  });

  it('refuses a missing timeoutMs (400 invalid_timeout) and answers 404 for an unknown run', async () => {
    const root = await startRun(h);
    expect(errorOf(await h.http.get(`/runs/${root.runId}/await`).expect(400)).code).toBe('invalid_timeout');
    expect(errorOf(await h.http.get('/runs/nope/await?timeoutMs=5').expect(404)).code).toBe('not_found');
  });
});

describe('POST /runs/:runId/complete and /fail', () => {
  it('completes and fails runs (200); a second transition is 409 invalid_status_transition', async () => {
    const done = await startRun(h);
    const completed = (await h.http.post(`/runs/${done.runId}/complete`).send({ output: 'ok' }).expect(200)).body as Run;
    expect(completed).toMatchObject({ status: 'completed', output: 'ok' });
    const again = await h.http.post(`/runs/${done.runId}/fail`).send({ error: 'late' }).expect(409);
    expect(errorOf(again)).toMatchObject({ code: 'invalid_status_transition', details: { from: 'completed', to: 'failed' } });

    const broken = await startRun(h);
    const failed = (await h.http.post(`/runs/${broken.runId}/fail`).send({ error: { message: 'boom' } }).expect(200)).body as Run;
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'boom' } });
  });

  it('refuses a failure without an error (400) and an unknown run (404)', async () => {
    const root = await startRun(h);
    expect(errorOf(await h.http.post(`/runs/${root.runId}/fail`).send({}).expect(400))).toMatchObject({ code: 'invalid_option', details: { field: 'error' } });
    expect(errorOf(await h.http.post('/runs/nope/complete').send({}).expect(404)).code).toBe('not_found');
  });
});
