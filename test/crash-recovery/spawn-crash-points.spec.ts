import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Child, Orchestrator, Relation, Run, SpawnOptions, Substrate } from '@runtree/orchestration';
import type { AppendFault } from '../support/faulty-store.js';
import { recordSpans } from '../support/recorded-spans.js';
import { openSubstrates, type SubstrateFixture } from '../support/substrates.js';
import { startRoot } from '../support/trees.js';
import { expectChildWritesCarryTheLinkContext, expectLinkedOnce, expectNoOrphanSubstrates, expectRebuildKeepsTree, expectRetryChangesNothing } from './repaired-state.js';
import { RestartableStorage, type RestartedOrchestrator } from './restartable.js';

/** A spawn or delegation, and where its child must end up once it is complete. */
interface ChildRequest {
  readonly relation: Relation;
  readonly options: (fixture: SubstrateFixture) => SpawnOptions;
  readonly expected: {
    readonly substrate: Substrate;
    /** `owned`: a new session the child owns; `existing`: the fixture's session. */
    readonly session: 'owned' | 'existing' | 'none';
    /** `started`: a new thread started by the child; `resumed`: the fixture's thread, resumed by it. */
    readonly thread: 'started' | 'resumed' | 'none';
  };
}

const spawnOwningSessionAndThread: ChildRequest = {
  relation: 'spawned',
  options: () => ({ session: { open: { metadata: { purpose: 'crash-test' } } }, thread: { start: { name: 'work' } } }),
  expected: { substrate: 'session_thread', session: 'owned', thread: 'started' },
};

const spawnResumingThread: ChildRequest = {
  relation: 'spawned',
  options: (fixture) => ({ session: fixture.session.sessionId, thread: fixture.thread.threadId }),
  expected: { substrate: 'session_thread', session: 'existing', thread: 'resumed' },
};

const delegateOnItsOwnRun: ChildRequest = {
  relation: 'delegated',
  options: () => ({ metadata: { queue: 'crash-test' } }),
  expected: { substrate: 'run', session: 'none', thread: 'none' },
};

interface SpawnCrashPoint {
  readonly crashPoint: string;
  readonly request: ChildRequest;
  /** The append that dies: the first write after the crash point. */
  readonly crashOn: AppendFault;
}

const crashPoints: readonly SpawnCrashPoint[] = [
  { crashPoint: 'spawn: after the link, before the owned SessionOpened', request: spawnOwningSessionAndThread, crashOn: { streamPrefix: 'session-', eventType: 'SessionOpened' } },
  { crashPoint: 'spawn: after SessionOpened, before ThreadStarted', request: spawnOwningSessionAndThread, crashOn: { streamPrefix: 'thread-', eventType: 'ThreadStarted' } },
  { crashPoint: 'spawn: after ThreadStarted, before the child RunStarted', request: spawnOwningSessionAndThread, crashOn: { streamPrefix: 'run-', eventType: 'RunStarted' } },
  { crashPoint: 'spawn resuming a thread: after the link, before ThreadResumed', request: spawnResumingThread, crashOn: { streamPrefix: 'thread-', eventType: 'ThreadResumed' } },
  { crashPoint: 'spawn resuming a thread: after ThreadResumed, before the child RunStarted', request: spawnResumingThread, crashOn: { streamPrefix: 'run-', eventType: 'RunStarted' } },
  { crashPoint: 'delegate: after the link, before the child RunStarted', request: delegateOnItsOwnRun, crashOn: { streamPrefix: 'run-', eventType: 'RunStarted' } },
];

// Traced callers: events record the trace they were written in.
const { inCallerSpan } = recordSpans();

/**
 * Sends the request as the facade's caller would, inside a span of the caller's and with the
 * caller's correlation; a delegation answers with the child run.
 */
function sendRequest(orchestrator: Orchestrator, parentRunId: string, request: ChildRequest, fixture: SubstrateFixture, commandId: string): Promise<Child | Run> {
  const options = { ...request.options(fixture), commandId, correlationId: `request-${commandId}`, causationId: `message-${commandId}` };
  return inCallerSpan<Child | Run>(() => (request.relation === 'spawned' ? orchestrator.spawn(parentRunId, options) : orchestrator.delegate(parentRunId, { task: 'crash-test' }, options)));
}

/** The child runs where its link says, in substrates it owns or uses exactly once. */
async function expectPlacedAsLinked(restarted: RestartedOrchestrator, child: Child, request: ChildRequest, fixture: SubstrateFixture): Promise<void> {
  const childRunId = child.run.runId;
  const events = await restarted.substrateEvents();
  const eventsOf = (type: string, streamName: string) => events.filter((event) => event.type === type && event.streamName === streamName);
  expect({ sessionId: child.run.sessionId, threadId: child.run.threadId }).toEqual({ sessionId: child.sessionId, threadId: child.threadId });

  switch (request.expected.session) {
    case 'owned':
      expect(child.ownsSession).toBe(true);
      expect(await restarted.session(child.sessionId as string)).toMatchObject({ status: 'open', ownerRunId: childRunId });
      expect(eventsOf('SessionOpened', `session-${child.sessionId}`)).toHaveLength(1);
      break;
    case 'existing':
      expect(child).toMatchObject({ sessionId: fixture.session.sessionId, ownsSession: false });
      expect((await restarted.session(fixture.session.sessionId))?.ownerRunId).toBeUndefined();
      break;
    case 'none':
      expect(child.sessionId).toBeUndefined();
  }

  switch (request.expected.thread) {
    case 'started':
      expect(child.thread).toMatchObject({ threadId: child.threadId, sessionId: child.sessionId, status: 'open' });
      expect(eventsOf('ThreadStarted', `thread-${child.threadId}`).map((event) => event.data)).toEqual([expect.objectContaining({ startedByRunId: childRunId })]);
      break;
    case 'resumed':
      expect(child.thread).toMatchObject({ threadId: fixture.thread.threadId, status: 'open' });
      expect(eventsOf('ThreadResumed', `thread-${fixture.thread.threadId}`).map((event) => event.data)).toEqual([{ runId: childRunId }]);
      break;
    case 'none':
      expect(child.threadId).toBeUndefined();
  }
}

describe('a spawn interrupted by a crash is finished on restart', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  it.each(crashPoints.map((point) => [point.crashPoint, point] as const))('%s', async (_crashPoint, { request, crashOn }) => {
    const doomed = await storage.startDoomed();
    const fixture = await openSubstrates(doomed.orchestrator);
    const parent = await startRoot(doomed.orchestrator);
    const commandId = randomUUID();
    await doomed.crashDuring(crashOn, (orchestrator) => sendRequest(orchestrator, parent.runId, request, fixture, commandId));

    const restarted = await storage.restart();
    const { orchestrator } = restarted;
    const children = await orchestrator.listChildren(parent.runId);
    expect(children).toHaveLength(1);
    const [child] = children;
    expect(child).toMatchObject({ relation: request.relation, substrate: request.expected.substrate, parentRunId: parent.runId, run: { status: 'running' } });
    await expectLinkedOnce(orchestrator, child.run.runId);
    await expectPlacedAsLinked(restarted, child, request, fixture);
    await expectNoOrphanSubstrates(restarted);
    await expectChildWritesCarryTheLinkContext(restarted, parent.runId, child.run.runId);

    const answerOfTheFirstSend = request.relation === 'spawned' ? child : child.run;
    await expectRetryChangesNothing(restarted, () => sendRequest(orchestrator, parent.runId, request, fixture, commandId), answerOfTheFirstSend);
    await expectRebuildKeepsTree(orchestrator, parent.runId);
  });

  it('leaves nothing behind when the crash comes before the link, and the retry spawns the child', async () => {
    const doomed = await storage.startDoomed();
    const fixture = await openSubstrates(doomed.orchestrator);
    const parent = await startRoot(doomed.orchestrator);
    const commandId = randomUUID();
    await doomed.crashDuring({ eventType: 'ChildSpawned' }, (orchestrator) => sendRequest(orchestrator, parent.runId, spawnOwningSessionAndThread, fixture, commandId));

    const restarted = await storage.restart();
    expect(await restarted.orchestrator.listChildren(parent.runId)).toEqual([]);
    const ownedSessions = (await restarted.substrateEvents()).filter((event) => event.type === 'SessionOpened' && 'ownerRunId' in (event.data as object));
    expect(ownedSessions).toEqual([]);

    const child = await sendRequest(restarted.orchestrator, parent.runId, spawnOwningSessionAndThread, fixture, commandId);
    expect(await restarted.orchestrator.listChildren(parent.runId)).toEqual([child]);
    await expectPlacedAsLinked(restarted, child as Child, spawnOwningSessionAndThread, fixture);
    await expectRebuildKeepsTree(restarted.orchestrator, parent.runId);
  });
});

describe('a spawn on a store with multi-stream append is one commit: all of it or none survives a crash', () => {
  let storage: RestartableStorage;

  beforeEach(async () => {
    storage = await RestartableStorage.create();
  });

  afterEach(async () => {
    await storage.dispose();
  });

  const requests = [
    ['a spawn owning a session and a thread', spawnOwningSessionAndThread],
    ['a spawn resuming a thread', spawnResumingThread],
    ['a delegation', delegateOnItsOwnRun],
  ] as const;

  it.each(requests)('%s: a crash before the commit leaves nothing, and the retry spawns the child', async (_name, request) => {
    const doomed = await storage.startDoomed({ multiStreamAppend: true });
    const fixture = await openSubstrates(doomed.orchestrator);
    const parent = await startRoot(doomed.orchestrator);
    const commandId = randomUUID();
    await doomed.crashDuring({ streamPrefix: 'run-', eventType: 'RunStarted' }, (orchestrator) => sendRequest(orchestrator, parent.runId, request, fixture, commandId));

    const restarted = await storage.restart({ recoverOnStart: false });
    expect(await restarted.orchestrator.listChildren(parent.runId)).toEqual([]);
    await expectNoOrphanSubstrates(restarted);
    const sent = await sendRequest(restarted.orchestrator, parent.runId, request, fixture, commandId);
    const [child] = await restarted.orchestrator.listChildren(parent.runId);
    expect(sent).toEqual(request.relation === 'spawned' ? child : child.run);
    await expectPlacedAsLinked(restarted, child, request, fixture);
    await expectRebuildKeepsTree(restarted.orchestrator, parent.runId);
  });

  it.each(requests)('%s: a crash after the commit leaves the whole child, with nothing for recovery to do', async (_name, request) => {
    const doomed = await storage.startDoomed({ multiStreamAppend: true });
    const fixture = await openSubstrates(doomed.orchestrator);
    const parent = await startRoot(doomed.orchestrator);
    const commandId = randomUUID();
    await doomed.crashDuring({ streamPrefix: 'run-', eventType: 'RunStarted', when: 'after' }, (orchestrator) => sendRequest(orchestrator, parent.runId, request, fixture, commandId));

    const restarted = await storage.restart({ recoverOnStart: false });
    const children = await restarted.orchestrator.listChildren(parent.runId);
    expect(children).toHaveLength(1);
    const [child] = children;
    expect(child).toMatchObject({ relation: request.relation, substrate: request.expected.substrate, run: { status: 'running' } });
    await expectPlacedAsLinked(restarted, child, request, fixture);
    await expectNoOrphanSubstrates(restarted);
    await expectRetryChangesNothing(restarted, () => sendRequest(restarted.orchestrator, parent.runId, request, fixture, commandId), request.relation === 'spawned' ? child : child.run);
    await expectRebuildKeepsTree(restarted.orchestrator, parent.runId);
  });
});
