import { afterEach, describe, expect, it } from '@jest/globals';
import { openSqliteReadStore, type ReadStore } from '@runtree/read-store';
import { projectBatch } from './project-batch.js';
import { EventScript } from './testing/event-script.js';
import { childOf, linkOf, runOf, sessionOf, stepOf, threadOf } from './views.js';

const opened: ReadStore[] = [];

/**
 * Plays the script into fresh read models, all events in one batch or one batch per event: the fold
 * must give the same rows whether a link and its child's start meet in one batch or in two.
 */
async function play(script: EventScript, batching: 'one batch' | 'a batch per event'): Promise<ReadStore> {
  const store = openSqliteReadStore({ path: ':memory:' });
  opened.push(store);
  await store.open();
  const events = script.decoded();
  const batches = batching === 'one batch' ? [events] : events.map((event) => [event]);
  let version = 0;
  for (const batch of batches) {
    const to = batch[batch.length - 1].recorded.position;
    const moved = await projectBatch(store, 'live', batch, { fromVersion: version, to }, (_event, error) => {
      throw error;
    });
    version = moved!.version;
  }
  return store;
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe.each(['one batch', 'a batch per event'] as const)('the read-model fold (%s)', (batching) => {
  describe('linking', () => {
    it('shows a child only once both its link and its RunStarted are applied', async () => {
      const linkedOnly = await play(new EventScript().startRun('p').link('p', 'c', 0), batching);
      expect(await linkedOnly.children('p')).toEqual([]);
      expect(await linkedOnly.child('c')).toBeUndefined();
      expect(await linkedOnly.pendingLinks()).toEqual([{ parentRunId: 'p', childRunId: 'c' }]);
      expect((await linkedOnly.runCore('p'))?.childCount).toBe(0);

      const started = await play(new EventScript().startRun('p').spawn('p', 'c', 0), batching);
      expect(await started.pendingLinks()).toEqual([]);
      expect((await started.children('p')).map((child) => child.run.runId)).toEqual(['c']);
      const child = (await started.child('c'))!;
      expect(child.run).toMatchObject({ depth: 1, rootRunId: 'p' });
      expect(linkOf(child.link)).toEqual({
        parentRunId: 'p',
        childRunId: 'c',
        relation: 'spawned',
        substrate: 'run',
        metadata: { caller: 'c' },
        ownsSession: false,
        stopSessionOnCancel: false,
        sequence: 0,
        createdAt: '2025-01-01T00:00:01.000Z',
      });
      expect(childOf(child)).toEqual({
        relation: 'spawned',
        substrate: 'run',
        parentRunId: 'p',
        run: runOf((await started.run('c'))!),
        metadata: { caller: 'c' },
        ownsSession: false,
        stopSessionOnCancel: false,
      });
    });

    it('orders children by link sequence whatever order their RunStarted events arrive in', async () => {
      const script = new EventScript().startRun('p').link('p', 'c0', 0).link('p', 'c1', 1).link('p', 'c2', 2).startChild('p', 'c2', 2);
      expect((await (await play(script, batching)).children('p')).map((child) => child.run.runId)).toEqual(['c2']);
      script.startChild('p', 'c0', 0).startChild('p', 'c1', 1);
      expect((await (await play(script, batching)).children('p')).map((child) => child.run.runId)).toEqual(['c0', 'c1', 'c2']);
    });

    it('shows a child whose RunStarted the log holds before its link', async () => {
      const models = await play(new EventScript().startRun('p').startChild('p', 'c', 0).link('p', 'c', 0), batching);
      expect((await models.children('p')).map((child) => child.run.runId)).toEqual(['c']);
      expect(await models.pendingLinks()).toEqual([]);
      expect((await models.runCore('p'))?.activeChildCount).toBe(1);
    });

    it('records a delegation with its task and counts a pending link in the tree shape', async () => {
      const script = new EventScript()
        .startRun('p')
        .link('p', 'd', 0, { relation: 'delegated', task: { do: 'it' } })
        .link('p', 'e', 1);
      expect(await (await play(script, batching)).treeShape('p')).toEqual({ rootRunId: 'p', parentDepth: 0, parentChildCount: 2, runningDescendantsOfRoot: 2 });

      const models = await play(script.startChild('p', 'd', 0, { lineage: { parentRunId: 'p', relation: 'delegated', substrate: 'run', sequence: 0 } }), batching);
      expect(childOf((await models.child('d'))!)).toMatchObject({ relation: 'delegated', task: { do: 'it' } });
      expect(runOf((await models.run('d'))!)).toMatchObject({ parentRunId: 'p', relation: 'delegated', substrate: 'run' });
      expect(await models.treeShape('p')).toEqual({ rootRunId: 'p', parentDepth: 0, parentChildCount: 2, runningDescendantsOfRoot: 2 });
      expect(await models.treeShape('unknown')).toBeUndefined();
    });
  });

  describe('counts', () => {
    it('counts steps and active steps, keeping them in start order', async () => {
      const models = await play(
        new EventScript()
          .startRun('r')
          .onRun('r', 'StepStarted', { stepId: 's1', name: 'one', kind: 'tool', input: 1 })
          .onRun('r', 'StepStarted', { stepId: 's2', name: 'two', kind: 'tool' })
          .onRun('r', 'StepStarted', { stepId: 's3', name: 'three', kind: 'tool' })
          .onRun('r', 'StepCompleted', { stepId: 's1', output: 'done' })
          .onRun('r', 'StepFailed', { stepId: 's2', error: { message: 'no' } }),
        batching,
      );
      expect(await models.runCore('r')).toMatchObject({ stepCount: 3, activeStepCount: 1 });
      const steps = (await models.steps('r')).map(stepOf);
      expect(steps.map(({ stepId, status }) => [stepId, status])).toEqual([
        ['s1', 'completed'],
        ['s2', 'failed'],
        ['s3', 'running'],
      ]);
      expect(steps[0]).toEqual({
        stepId: 's1',
        runId: 'r',
        name: 'one',
        kind: 'tool',
        status: 'completed',
        input: 1,
        output: 'done',
        startedAt: '2025-01-01T00:00:01.000Z',
        updatedAt: '2025-01-01T00:00:04.000Z',
      });
      expect(steps[1].error).toEqual({ message: 'no' });
    });

    it('counts running children, running descendants of the root and depth', async () => {
      const script = new EventScript().startRun('root').spawn('root', 'a', 0).spawn('root', 'b', 1).spawn('a', 'a1', 0);
      const running = await play(script, batching);
      expect(await running.runCore('root')).toMatchObject({ childCount: 2, activeChildCount: 2, runningDescendants: 3 });
      expect(await running.runCore('a1')).toMatchObject({ depth: 2, rootRunId: 'root' });
      expect(await running.treeShape('a')).toEqual({ rootRunId: 'root', parentDepth: 1, parentChildCount: 1, runningDescendantsOfRoot: 3 });

      const models = await play(script.onRun('a1', 'RunCompleted', {}).onRun('b', 'RunFailed', { error: 'x' }), batching);
      expect(await models.runCore('root')).toMatchObject({ childCount: 2, activeChildCount: 1, runningDescendants: 1 });
      expect(await models.runCore('a')).toMatchObject({ childCount: 1, activeChildCount: 0 });
    });
  });

  it('lists descendants depth-first in pre-order, siblings oldest first', async () => {
    const models = await play(
      new EventScript()
        .startRun('p')
        .link('p', 'a', 0)
        .link('p', 'b', 1)
        .startChild('p', 'b', 1)
        .spawn('b', 'b1', 0)
        .startChild('p', 'a', 0)
        .link('a', 'a1', 0)
        .link('a', 'a2', 1)
        .startChild('a', 'a2', 1)
        .startChild('a', 'a1', 0)
        .spawn('a1', 'a1x', 0),
      batching,
    );
    const ids = async (runId: string) => (await models.descendants(runId)).map((child) => child.run.runId);
    expect(await ids('p')).toEqual(['a', 'a1', 'a1x', 'a2', 'b', 'b1']);
    expect(await ids('b')).toEqual(['b1']);
    expect(await ids('unknown')).toEqual([]);
  });

  describe('run lifecycle', () => {
    it('moves a run from running to one terminal status with its outcome, and no further', async () => {
      const models = await play(
        new EventScript()
          .startRun('ok', { input: { q: 1 }, metadata: { team: 'a' } })
          .onRun('ok', 'RunCompleted', { output: 42 })
          .onRun('ok', 'RunFailed', { error: 'too late' })
          .startRun('bad')
          .onRun('bad', 'RunFailed', { error: { message: 'boom' } }),
        batching,
      );
      expect(runOf((await models.run('ok'))!)).toEqual({
        runId: 'ok',
        kind: 'run',
        status: 'completed',
        input: { q: 1 },
        output: 42,
        metadata: { team: 'a' },
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:02.000Z',
        revision: '2',
      });
      const bad = runOf((await models.run('bad'))!);
      expect(bad).toMatchObject({ status: 'failed', error: { message: 'boom' } });
      expect(bad).not.toHaveProperty('output');
    });

    it('keeps a run running while its cancel is requested, until RunCancelled', async () => {
      const script = new EventScript()
        .startRun('r')
        .onRun('r', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' })
        .onRun('r', 'CancelRequested', { reason: 'stop', origin: 'root' });
      const requested = await play(script, batching);
      expect(await requested.runCore('r')).toMatchObject({ status: 'running', cancelRequested: true });
      expect(await requested.cancellingRuns()).toEqual(['r']);

      const cancelled = await play(
        script.onRun('r', 'StepCancelled', { stepId: 's', reason: 'stop' }).onRun('r', 'RunCancelled', { reason: 'stop', origin: 'root' }),
        batching,
      );
      expect(runOf((await cancelled.run('r'))!)).toMatchObject({ status: 'cancelled', cancelReason: 'stop' });
      expect((await cancelled.steps('r'))[0].status).toBe('cancelled');
      expect((await cancelled.runCore('r'))?.activeStepCount).toBe(0);
      expect(await cancelled.cancellingRuns()).toEqual([]);
    });

    it('ignores events of runs it does not know', async () => {
      const models = await play(new EventScript().onRun('ghost', 'RunCompleted', {}).onRun('ghost', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' }), batching);
      expect(await models.run('ghost')).toBeUndefined();
      expect(await models.runCount()).toBe(0);
    });
  });

  describe('sessions and threads', () => {
    const script = () =>
      new EventScript()
        .startRun('p', { sessionId: 's0' })
        .onSession('s0', 'SessionOpened', { sessionId: 's0', metadata: {} })
        .link('p', 'c', 0, {
          substrate: 'session_thread',
          placement: { ownsSession: true, stopSessionOnCancel: true, sessionId: 's1', threadId: 't1', openSession: { metadata: {} }, startThread: { metadata: {}, name: 'main' } },
        })
        .onSession('s1', 'SessionOpened', { sessionId: 's1', metadata: { own: true }, ownerRunId: 'c' })
        .onThread('t1', 'ThreadStarted', { threadId: 't1', sessionId: 's1', metadata: {}, name: 'main', startedByRunId: 'c' })
        .startChild('p', 'c', 0, { sessionId: 's1', threadId: 't1' });

    it('gives the child view its session, thread and the thread record it started', async () => {
      const models = await play(script(), batching);
      const child = (await models.child('c'))!;
      expect(childOf(child)).toMatchObject({
        substrate: 'session_thread',
        sessionId: 's1',
        threadId: 't1',
        ownsSession: true,
        stopSessionOnCancel: true,
        thread: { threadId: 't1', sessionId: 's1', name: 'main', metadata: {}, status: 'open', createdAt: '2025-01-01T00:00:04.000Z' },
      });
      expect(linkOf(child.link)).toMatchObject({ childSessionId: 's1', childThreadId: 't1' });
      expect(sessionOf((await models.session('s1'))!)).toEqual({ sessionId: 's1', metadata: { own: true }, status: 'open', ownerRunId: 'c', createdAt: '2025-01-01T00:00:03.000Z' });
    });

    it('finds cancelled owners whose session is still open, until it is closed', async () => {
      const cancelled = script().onRun('c', 'RunCancelled', { reason: 'x', origin: { childOf: 'p' } });
      expect(await (await play(cancelled, batching)).cancelledOwnersWithOpenSession()).toEqual([{ runId: 'c', sessionId: 's1' }]);

      const closed = await play(cancelled.onSession('s1', 'SessionClosed', { byRunId: 'c' }).onThread('t1', 'ThreadClosed', {}), batching);
      expect(await closed.cancelledOwnersWithOpenSession()).toEqual([]);
      expect((await closed.session('s1'))?.status).toBe('closed');
      expect(threadOf((await closed.thread('t1'))!).status).toBe('closed');
      expect(childOf((await closed.child('c'))!).thread?.status).toBe('closed');
    });
  });

  it('builds the same rows from the same log, however it is batched', async () => {
    const script = new EventScript()
      .startRun('p')
      .spawn('p', 'a', 0)
      .link('p', 'b', 1)
      .onRun('a', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' })
      .onRun('a', 'RunCompleted', { output: 1 })
      .onRun('p', 'CancelRequested', { reason: 'r', origin: 'root' });
    const first = await (await play(script, batching)).dump();
    const other = await (await play(script, batching === 'one batch' ? 'a batch per event' : 'one batch')).dump();
    expect(other).toEqual(first);
    expect(first.runs.map((run) => run.runId)).toEqual(['a', 'p']);
  });
});
