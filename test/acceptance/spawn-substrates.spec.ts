import { randomUUID } from 'node:crypto';
import { expect, it } from '@jest/globals';
import type { SessionTarget, SpawnOptions, Substrate, ThreadTarget } from '@runtree/orchestration';
import { entriesOfType, expectOrchestratorError, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates, startRootInSession, startRootInThread, type SubstrateFixture } from '../support/substrates.js';
import { settleRun, startRoot } from '../support/trees.js';

describeOnEveryStore('spawn: parent, options and lineage', (orchestrator) => {
  it('spawns a running child with kind `orchestrator_child`, relation `spawned` and substrate `run` by default', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId);

    expect(child).toMatchObject({ relation: 'spawned', substrate: 'run', parentRunId: parent.runId, metadata: {} });
    expect(child.run).toMatchObject({ kind: 'orchestrator_child', status: 'running', parentRunId: parent.runId, relation: 'spawned', substrate: 'run' });
    expect(child.run.runId).not.toBe(parent.runId);
    expect(child.sessionId).toBeUndefined();
    expect(child.threadId).toBeUndefined();
  });

  it('accepts the parent as a run object', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent);
    expect(child.parentRunId).toBe(parent.runId);
    expect(child.run.parentRunId).toBe(parent.runId);
  });

  it('keeps the given run id, kind and input', async () => {
    const parent = await startRoot(orchestrator());
    const runId = `child-${randomUUID()}`;
    const child = await orchestrator().spawn(parent.runId, { runId, kind: 'searcher', input: { query: 'sqlite wal' } });
    expect(child.run).toMatchObject({ runId, kind: 'searcher', input: { query: 'sqlite wal' } });
  });

  it('records the lineage in metadata.orchestrator beside the caller metadata, and returns the caller metadata as given', async () => {
    const fixture = await openSubstrates(orchestrator());
    const { session, thread } = fixture;
    const parent = await startRootInThread(orchestrator(), fixture);
    const child = await orchestrator().spawn(parent.runId, { metadata: { team: 'blue', priority: 2 } });

    expect(child.metadata).toEqual({ team: 'blue', priority: 2 });
    expect(child.run.metadata).toMatchObject({ team: 'blue', priority: 2 });
    const lineage = child.run.metadata.orchestrator as Record<string, unknown>;
    expect(lineage).toMatchObject({ parentRunId: parent.runId, relation: 'spawned', substrate: 'run' });
    expect(Object.values(lineage)).toEqual(expect.arrayContaining([session.sessionId, thread.threadId]));
  });

  it('records ChildSpawned in the parent journal and RunStarted with the lineage in the child journal', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId, { metadata: { note: 'x' } });

    const parentJournal = (await orchestrator().collect(parent.runId)).journal ?? [];
    const childJournal = (await orchestrator().collect(child.run.runId)).journal ?? [];
    expect(entriesOfType(parentJournal, 'ChildSpawned').map((entry) => entry.data)).toEqual([
      expect.objectContaining({ childRunId: child.run.runId }),
    ]);
    expect(childJournal[0]).toMatchObject({ type: 'RunStarted', streamName: `run-${child.run.runId}` });
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object without runId', {}],
    ['an object with a non-string runId', { runId: 5 }],
    ['an array', ['run']],
  ])('refuses a parent that is %s with invalid_parent', async (_label, parent) => {
    await expectOrchestratorError(orchestrator().spawn(malformed(parent)), 'invalid_parent');
  });

  it('refuses an unknown parent with parent_not_found', async () => {
    await expectOrchestratorError(orchestrator().spawn(`missing-${randomUUID()}`), 'parent_not_found');
    await expectOrchestratorError(orchestrator().spawn({ runId: `missing-${randomUUID()}` }), 'parent_not_found');
  });

  it.each(['completed', 'failed', 'cancelled'] as const)('refuses a %s parent with parent_not_running and its status', async (status) => {
    const parent = await startRoot(orchestrator());
    await settleRun(orchestrator(), parent.runId, status);
    await expectOrchestratorError(orchestrator().spawn(parent.runId), 'parent_not_running', { status });
  });

  it('refuses an unknown option with unsupported_option naming it', async () => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().spawn(parent.runId, malformed<SpawnOptions>({ sesion: 'none' })), 'unsupported_option', {
      field: 'sesion',
    });
  });

  it.each([
    ['runId', 12],
    ['runId', ''],
    ['kind', false],
    ['metadata', 'text'],
    ['metadata', [1, 2]],
  ])('refuses %s = %j with invalid_option naming the field', async (field, value) => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().spawn(parent.runId, malformed<SpawnOptions>({ [field]: value })), 'invalid_option', { field });
  });

  it('refuses a child run id that is taken with already_exists, leaving the parent without a child', async () => {
    const parent = await startRoot(orchestrator());
    const taken = await startRoot(orchestrator());

    await expectOrchestratorError(orchestrator().spawn(parent.runId, { runId: taken.runId }), 'already_exists');
    expect(await orchestrator().listChildren(parent.runId)).toEqual([]);
    expect((await orchestrator().status(taken.runId)).run.parentRunId).toBeUndefined();
  });

  it('leaves nothing half-made when a spawn fails on its thread target', async () => {
    const parent = await startRootInSession(orchestrator(), await openSubstrates(orchestrator()));
    const runId = `child-${randomUUID()}`;

    await expectOrchestratorError(
      orchestrator().spawn(parent.runId, { runId, session: { open: {} }, thread: `missing-${randomUUID()}` }),
      'thread_not_found',
    );

    expect(await orchestrator().listChildren(parent.runId)).toEqual([]);
    expect((await orchestrator().status(parent.runId)).childCount).toBe(0);
    await expectOrchestratorError(orchestrator().status(runId), 'not_found');
    const journal = (await orchestrator().collect(parent.runId)).journal ?? [];
    expect(entriesOfType(journal, 'ChildSpawned')).toEqual([]);
    await expect(orchestrator().startRun({ runId })).resolves.toMatchObject({ runId });
  });
});

/** What the child gets, relative to the fixture: the parent's, the other session's, a new one, or none. */
type Place = 'parent' | 'other' | 'new' | 'none';

interface SubstrateCase {
  readonly label: string;
  readonly parentIn: 'thread' | 'nothing';
  readonly session?: (fixture: SubstrateFixture) => SessionTarget;
  readonly thread?: (fixture: SubstrateFixture) => ThreadTarget;
  readonly expected: { readonly substrate: Substrate; readonly session: Place; readonly thread: Place; readonly threadRecord: boolean };
}

const substrateCases: readonly SubstrateCase[] = [
  { label: 'defaults under a parent in a thread', parentIn: 'thread', expected: { substrate: 'run', session: 'parent', thread: 'parent', threadRecord: false } },
  {
    label: "explicit inherit/inherit",
    parentIn: 'thread',
    session: () => 'inherit',
    thread: () => 'inherit',
    expected: { substrate: 'run', session: 'parent', thread: 'parent', threadRecord: false },
  },
  { label: 'inherit session, no thread', parentIn: 'thread', thread: () => 'none', expected: { substrate: 'run', session: 'parent', thread: 'none', threadRecord: false } },
  {
    label: 'inherit session, start a thread',
    parentIn: 'thread',
    thread: () => ({ start: { name: 'side quest' } }),
    expected: { substrate: 'thread', session: 'parent', thread: 'new', threadRecord: true },
  },
  {
    label: "inherit session, resume the parent's thread by id",
    parentIn: 'thread',
    thread: (fixture) => fixture.thread.threadId,
    expected: { substrate: 'thread', session: 'parent', thread: 'parent', threadRecord: true },
  },
  {
    label: 'inherit session, resume a thread given as { threadId }',
    parentIn: 'thread',
    thread: (fixture) => ({ threadId: fixture.thread.threadId }),
    expected: { substrate: 'thread', session: 'parent', thread: 'parent', threadRecord: true },
  },
  { label: 'no session', parentIn: 'thread', session: () => 'none', expected: { substrate: 'run', session: 'none', thread: 'none', threadRecord: false } },
  {
    label: 'an existing session, thread inherit (not inherited: no thread)',
    parentIn: 'thread',
    session: (fixture) => fixture.otherSession.sessionId,
    expected: { substrate: 'session', session: 'other', thread: 'none', threadRecord: false },
  },
  {
    label: 'an existing session and one of its threads',
    parentIn: 'thread',
    session: (fixture) => fixture.otherSession.sessionId,
    thread: (fixture) => fixture.otherThread.threadId,
    expected: { substrate: 'session_thread', session: 'other', thread: 'other', threadRecord: true },
  },
  {
    label: 'an existing session and a new thread in it',
    parentIn: 'thread',
    session: (fixture) => fixture.otherSession.sessionId,
    thread: () => ({ start: { metadata: { lane: 1 } } }),
    expected: { substrate: 'session_thread', session: 'other', thread: 'new', threadRecord: true },
  },
  {
    label: 'a new owned session',
    parentIn: 'thread',
    session: () => ({ open: { metadata: { owner: 'child' } } }),
    expected: { substrate: 'session', session: 'new', thread: 'none', threadRecord: false },
  },
  {
    label: 'a new owned session with a new thread',
    parentIn: 'nothing',
    session: () => ({ open: {}, stopOnCancel: false }),
    thread: () => ({ start: { name: 'first' } }),
    expected: { substrate: 'session_thread', session: 'new', thread: 'new', threadRecord: true },
  },
  { label: 'defaults under a parent with no session', parentIn: 'nothing', expected: { substrate: 'run', session: 'none', thread: 'none', threadRecord: false } },
  {
    label: 'an existing session under a parent with no session',
    parentIn: 'nothing',
    session: (fixture) => fixture.otherSession.sessionId,
    expected: { substrate: 'session', session: 'other', thread: 'none', threadRecord: false },
  },
];

describeOnEveryStore('spawn: session and thread targets', (orchestrator) => {
  it.each(substrateCases.map((testCase) => [testCase.label, testCase] as const))('%s', async (_label, testCase) => {
    const fixture = await openSubstrates(orchestrator());
    const parent = testCase.parentIn === 'thread' ? await startRootInThread(orchestrator(), fixture) : await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId, {
      ...(testCase.session ? { session: testCase.session(fixture) } : {}),
      ...(testCase.thread ? { thread: testCase.thread(fixture) } : {}),
    });
    const { expected } = testCase;

    expect(child.substrate).toBe(expected.substrate);
    expect(child.run.substrate).toBe(expected.substrate);
    const expectedSession = { parent: fixture.session.sessionId, other: fixture.otherSession.sessionId, none: undefined, new: 'new' }[expected.session];
    if (expectedSession === 'new') {
      expect(child.sessionId).toEqual(expect.any(String));
      expect([fixture.session.sessionId, fixture.otherSession.sessionId]).not.toContain(child.sessionId);
      expect(child.ownsSession).toBe(true);
    } else {
      expect(child.sessionId).toBe(expectedSession);
      expect(child.ownsSession ?? false).toBe(false);
    }
    expect(child.run.sessionId).toBe(child.sessionId);

    const expectedThread = { parent: fixture.thread.threadId, other: fixture.otherThread.threadId, none: undefined, new: 'new' }[expected.thread];
    if (expectedThread === 'new') {
      expect(child.threadId).toEqual(expect.any(String));
      expect([fixture.thread.threadId, fixture.otherThread.threadId]).not.toContain(child.threadId);
    } else {
      expect(child.threadId).toBe(expectedThread);
    }
    expect(child.run.threadId).toBe(child.threadId);
    if (expected.threadRecord) {
      expect(child.thread).toMatchObject({ threadId: child.threadId, sessionId: child.sessionId, status: 'open' });
    }
  });

  it('opens an owned session that stops on cancel by default, a new one for every child', async () => {
    const parent = await startRoot(orchestrator());
    const first = await orchestrator().spawn(parent.runId, { session: { open: {} } });
    const second = await orchestrator().spawn(parent.runId, { session: { open: {} } });

    expect(first).toMatchObject({ ownsSession: true, stopSessionOnCancel: true, substrate: 'session' });
    expect(second).toMatchObject({ ownsSession: true, stopSessionOnCancel: true });
    expect(second.sessionId).not.toBe(first.sessionId);
  });

  it('records stopOnCancel false on the link of an owned session', async () => {
    const parent = await startRoot(orchestrator());
    const child = await orchestrator().spawn(parent.runId, { session: { open: { metadata: { keep: true } }, stopOnCancel: false } });
    expect(child).toMatchObject({ ownsSession: true, stopSessionOnCancel: false });
    const { link } = await orchestrator().collect(child.run.runId);
    expect(link).toMatchObject({ ownsSession: true, stopSessionOnCancel: false, childSessionId: child.sessionId });
  });

  it('starts the new thread with the given name and metadata in the child session', async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);
    const child = await orchestrator().spawn(parent.runId, { thread: { start: { name: 'notes', metadata: { lane: 7 } } } });
    expect(child.thread).toMatchObject({ sessionId: fixture.session.sessionId, name: 'notes', metadata: { lane: 7 }, status: 'open' });
  });

  it('refuses an unknown session id with session_not_found', async () => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { session: `missing-${randomUUID()}` }), 'session_not_found');
  });

  it('refuses a closed session with session_closed', async () => {
    const parent = await startRoot(orchestrator());
    const session = await orchestrator().openSession();
    await orchestrator().closeSession(session.sessionId);
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { session: session.sessionId }), 'session_closed');
  });

  it("refuses to inherit the parent's session once it is closed (session_closed)", async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);
    await orchestrator().closeSession(fixture.session.sessionId);
    await expectOrchestratorError(orchestrator().spawn(parent.runId), 'session_closed');
  });

  // "an existing open session, not owned": the child joins it without owning it, so cancelling
  // the child leaves the session to its owner.
  it('lets a child join a session another child owns, without owning it', async () => {
    const parent = await startRoot(orchestrator());
    const owner = await orchestrator().spawn(parent.runId, { session: { open: {} } });
    const joiner = await orchestrator().spawn(parent.runId, { session: owner.sessionId });
    expect(joiner).toMatchObject({ sessionId: owner.sessionId, ownsSession: false, substrate: 'session' });
    await orchestrator().cancel(joiner.run.runId, 'done');
    expect((await orchestrator().status(owner.run.runId)).run.status).toBe('running');
    const later = await orchestrator().spawn(parent.runId, { session: owner.sessionId });
    expect(later.sessionId).toBe(owner.sessionId);
  });

  it.each([
    ['a number', 42],
    ['an empty object', {}],
    ['open that is not an object', { open: 'yes' }],
    ['an unknown verb', { close: {} }],
    ['null', null],
  ])('refuses a session target that is %s with invalid_session_target', async (_label, session) => {
    const parent = await startRoot(orchestrator());
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { session: malformed<SessionTarget>(session) }), 'invalid_session_target');
  });

  it.each([
    ['a number', 3],
    ['an empty object', {}],
    ['start that is not an object', { start: 'now' }],
    ['a non-string threadId', { threadId: 9 }],
    ['null', null],
  ])('refuses a thread target that is %s with invalid_thread_target', async (_label, thread) => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInThread(orchestrator(), fixture);
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { thread: malformed<ThreadTarget>(thread) }), 'invalid_thread_target');
  });

  it('refuses a thread id or a new thread for a child without a session (session_required_for_thread)', async () => {
    const fixture = await openSubstrates(orchestrator());
    const bare = await startRoot(orchestrator());
    const inThread = await startRootInThread(orchestrator(), fixture);

    await expectOrchestratorError(orchestrator().spawn(bare.runId, { thread: { start: {} } }), 'session_required_for_thread');
    await expectOrchestratorError(orchestrator().spawn(bare.runId, { thread: fixture.thread.threadId }), 'session_required_for_thread');
    await expectOrchestratorError(
      orchestrator().spawn(inThread.runId, { session: 'none', thread: { threadId: fixture.thread.threadId } }),
      'session_required_for_thread',
    );
  });

  it('refuses an unknown thread, or a thread of another session, with thread_not_found', async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);

    await expectOrchestratorError(orchestrator().spawn(parent.runId, { thread: `missing-${randomUUID()}` }), 'thread_not_found');
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { thread: fixture.otherThread.threadId }), 'thread_not_found');
    await expectOrchestratorError(
      orchestrator().spawn(parent.runId, { session: fixture.otherSession.sessionId, thread: { threadId: fixture.thread.threadId } }),
      'thread_not_found',
    );
  });

  it('refuses to resume a closed thread with thread_closed', async () => {
    const fixture = await openSubstrates(orchestrator());
    const parent = await startRootInSession(orchestrator(), fixture);
    await orchestrator().closeThread(fixture.thread.threadId);
    await expectOrchestratorError(orchestrator().spawn(parent.runId, { thread: fixture.thread.threadId }), 'thread_closed');
  });
});
