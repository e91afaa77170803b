import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { StartRunOptions } from '@runtree/orchestration';
import { expectOrchestratorError, expectOrchestratorErrorOneOf, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates } from '../support/substrates.js';

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describeOnEveryStore('startRun', (orchestrator) => {
  it('starts a root run with a generated id, kind `run`, empty metadata and no lineage', async () => {
    const run = await orchestrator().startRun();

    expect(run.runId).toEqual(expect.any(String));
    expect(run.runId.length).toBeGreaterThan(0);
    expect(run).toMatchObject({ kind: 'run', status: 'running', metadata: {} });
    expect(run.parentRunId).toBeUndefined();
    expect(run.relation).toBeUndefined();
    expect(run.sessionId).toBeUndefined();
    expect(run.createdAt).toMatch(isoDate);
    expect((await orchestrator().status(run.runId)).run).toEqual(run);
  });

  it('generates a different id for every run', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => orchestrator().startRun()));
    expect(new Set(runs.map((run) => run.runId)).size).toBe(3);
  });

  it('keeps the given run id, kind, input and metadata', async () => {
    const runId = `root-${randomUUID()}`;
    const run = await orchestrator().startRun({ runId, kind: 'research', input: { question: 'why?' }, metadata: { team: 'blue' } });

    expect(run).toMatchObject({ runId, kind: 'research', input: { question: 'why?' }, metadata: { team: 'blue' }, status: 'running' });
    expect((await orchestrator().status(runId)).run).toMatchObject({ runId, kind: 'research', input: { question: 'why?' } });
  });

  it('records RunStarted as revision 0 of the run stream', async () => {
    const run = await orchestrator().startRun({ input: 'hello' });
    const { journal } = await orchestrator().collect(run.runId);

    expect(journal).toHaveLength(1);
    expect(journal?.[0]).toMatchObject({ type: 'RunStarted', streamName: `run-${run.runId}`, revision: '0' });
  });

  it('refuses a run id that is taken with already_exists', async () => {
    const run = await orchestrator().startRun();
    await expectOrchestratorError(orchestrator().startRun({ runId: run.runId }), 'already_exists');
  });

  it.each([
    ['runId', ''],
    ['runId', 42],
    ['kind', 7],
    ['metadata', 'not an object'],
    ['metadata', ['a', 'list']],
    ['sessionId', 3],
    ['threadId', false],
  ])('refuses %s = %j with invalid_option naming the field', async (field, value) => {
    await expectOrchestratorError(orchestrator().startRun(malformed<StartRunOptions>({ [field]: value })), 'invalid_option', { field });
  });

  it('refuses an unknown option with unsupported_option naming it', async () => {
    await expectOrchestratorError(orchestrator().startRun(malformed<StartRunOptions>({ parentRunId: 'x' })), 'unsupported_option', {
      field: 'parentRunId',
    });
  });

  it('starts a run in an open session and in a thread of that session', async () => {
    const { session, thread } = await openSubstrates(orchestrator());

    const inSession = await orchestrator().startRun({ sessionId: session.sessionId });
    const inThread = await orchestrator().startRun({ sessionId: session.sessionId, threadId: thread.threadId });

    expect(inSession.sessionId).toBe(session.sessionId);
    expect(inSession.threadId).toBeUndefined();
    expect(inThread).toMatchObject({ sessionId: session.sessionId, threadId: thread.threadId });
  });

  it('refuses an unknown session with session_not_found', async () => {
    await expectOrchestratorError(orchestrator().startRun({ sessionId: `missing-${randomUUID()}` }), 'session_not_found');
  });

  it('refuses a closed session with session_closed', async () => {
    const session = await orchestrator().openSession();
    await orchestrator().closeSession(session.sessionId);
    await expectOrchestratorError(orchestrator().startRun({ sessionId: session.sessionId }), 'session_closed');
  });

  it('refuses a thread without a session with session_required_for_thread', async () => {
    const { thread } = await openSubstrates(orchestrator());
    await expectOrchestratorError(orchestrator().startRun({ threadId: thread.threadId }), 'session_required_for_thread');
  });

  it('refuses a thread of another session, or an unknown thread, with thread_not_found', async () => {
    const { session, otherThread } = await openSubstrates(orchestrator());
    await expectOrchestratorError(orchestrator().startRun({ sessionId: session.sessionId, threadId: otherThread.threadId }), 'thread_not_found');
    await expectOrchestratorError(orchestrator().startRun({ sessionId: session.sessionId, threadId: `missing-${randomUUID()}` }), 'thread_not_found');
  });

  it('refuses a closed thread with thread_closed', async () => {
    const { session, thread } = await openSubstrates(orchestrator());
    await orchestrator().closeThread(thread.threadId);
    await expectOrchestratorError(orchestrator().startRun({ sessionId: session.sessionId, threadId: thread.threadId }), 'thread_closed');
  });
});

describeOnEveryStore('sessions and threads', (orchestrator) => {
  it('opens a session with a generated id, empty metadata and status open', async () => {
    const session = await orchestrator().openSession();
    expect(session.sessionId.length).toBeGreaterThan(0);
    expect(session).toMatchObject({ status: 'open', metadata: {} });
    expect(session.ownerRunId).toBeUndefined();
  });

  it('opens a session with the given id and metadata', async () => {
    const sessionId = `session-${randomUUID()}`;
    const session = await orchestrator().openSession({ sessionId, metadata: { user: 'ada' } });
    expect(session).toMatchObject({ sessionId, metadata: { user: 'ada' }, status: 'open' });
  });

  it('refuses a session id that is taken with already_exists', async () => {
    const session = await orchestrator().openSession();
    await expectOrchestratorError(orchestrator().openSession({ sessionId: session.sessionId }), 'already_exists');
  });

  it('closes a session, after which it accepts no new thread (session_closed)', async () => {
    const session = await orchestrator().openSession();
    const closed = await orchestrator().closeSession(session.sessionId);

    expect(closed).toMatchObject({ sessionId: session.sessionId, status: 'closed' });
    await expectOrchestratorError(orchestrator().startThread(session.sessionId), 'session_closed');
  });

  it('refuses to close an unknown session', async () => {
    await expectOrchestratorErrorOneOf(orchestrator().closeSession(`missing-${randomUUID()}`), ['not_found', 'session_not_found']);
  });

  it('starts a thread in a session with a generated id, or the given id, name and metadata', async () => {
    const session = await orchestrator().openSession();
    const generated = await orchestrator().startThread(session.sessionId);
    const threadId = `thread-${randomUUID()}`;
    const named = await orchestrator().startThread(session.sessionId, { threadId, name: 'planning', metadata: { lane: 2 } });

    expect(generated).toMatchObject({ sessionId: session.sessionId, status: 'open', metadata: {} });
    expect(generated.threadId.length).toBeGreaterThan(0);
    expect(named).toMatchObject({ threadId, sessionId: session.sessionId, name: 'planning', metadata: { lane: 2 }, status: 'open' });
  });

  it('refuses a thread id that is taken with already_exists, even in another session', async () => {
    const { thread, otherSession } = await openSubstrates(orchestrator());
    await expectOrchestratorError(orchestrator().startThread(otherSession.sessionId, { threadId: thread.threadId }), 'already_exists');
  });

  it('refuses a thread in an unknown session', async () => {
    await expectOrchestratorErrorOneOf(orchestrator().startThread(`missing-${randomUUID()}`), ['session_not_found', 'not_found']);
  });

  it('closes a thread', async () => {
    const { thread } = await openSubstrates(orchestrator());
    const closed = await orchestrator().closeThread(thread.threadId);
    expect(closed).toMatchObject({ threadId: thread.threadId, sessionId: thread.sessionId, status: 'closed' });
  });

  it('refuses to close an unknown thread', async () => {
    await expectOrchestratorErrorOneOf(orchestrator().closeThread(`missing-${randomUUID()}`), ['not_found', 'thread_not_found']);
  });
});
