import { describe, expect, it } from '@jest/globals';
import { ReadModels } from './read-models.js';
import { EventScript } from './testing/event-script.js';

function play(script: EventScript, models = new ReadModels()): ReadModels {
  for (const { recorded, event } of script.decoded()) models.apply(recorded, event);
  return models;
}

describe('ReadModels', () => {
  describe('linking', () => {
    it('shows a child only once both its link and its RunStarted are applied', () => {
      const linkedOnly = play(new EventScript().startRun('p').link('p', 'c', 0));
      expect(linkedOnly.getRun('p')?.childIds).toEqual([]);
      expect(linkedOnly.childrenOf('p')).toEqual([]);
      expect(linkedOnly.childView('c')).toBeUndefined();
      expect(linkedOnly.pendingLinks()).toEqual([
        expect.objectContaining({ parentRunId: 'p', relation: 'spawned', link: expect.objectContaining({ childRunId: 'c', sequence: 0 }) }),
      ]);

      const started = play(new EventScript().startRun('p').spawn('p', 'c', 0));
      expect(started.pendingLinks()).toEqual([]);
      expect(started.getRun('p')?.childIds).toEqual(['c']);
      const child = started.getRun('c')!;
      expect(child.depth).toBe(1);
      expect(child.rootRunId).toBe('p');
      expect(child.link).toEqual({
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
      expect(started.childView('c')).toEqual({
        relation: 'spawned',
        substrate: 'run',
        parentRunId: 'p',
        run: child.run,
        metadata: { caller: 'c' },
        ownsSession: false,
        stopSessionOnCancel: false,
      });
    });

    it('orders children by link sequence whatever order their RunStarted events arrive in', () => {
      const script = new EventScript().startRun('p').link('p', 'c0', 0).link('p', 'c1', 1).link('p', 'c2', 2).startChild('p', 'c2', 2);
      expect(play(script).getRun('p')?.childIds).toEqual(['c2']);

      script.startChild('p', 'c0', 0).startChild('p', 'c1', 1);
      const models = play(script);
      expect(models.getRun('p')?.childIds).toEqual(['c0', 'c1', 'c2']);
      expect(models.childrenOf('p')?.map((child) => child.run.runId)).toEqual(['c0', 'c1', 'c2']);
    });

    it('records a delegation with its task and counts a pending link in the tree shape', () => {
      const script = new EventScript()
        .startRun('p')
        .link('p', 'd', 0, { relation: 'delegated', task: { do: 'it' } })
        .link('p', 'e', 1);
      const pending = play(script);
      expect(pending.treeShape('p')).toEqual({ rootRunId: 'p', parentDepth: 0, parentChildCount: 2, runningDescendantsOfRoot: 2 });

      const models = play(script.startChild('p', 'd', 0, { lineage: { parentRunId: 'p', relation: 'delegated', substrate: 'run', sequence: 0 } }));
      expect(models.childView('d')).toMatchObject({ relation: 'delegated', task: { do: 'it' } });
      expect(models.getRun('d')?.run).toMatchObject({ parentRunId: 'p', relation: 'delegated', substrate: 'run' });
      expect(models.treeShape('p')).toEqual({ rootRunId: 'p', parentDepth: 0, parentChildCount: 2, runningDescendantsOfRoot: 2 });
      expect(models.treeShape('unknown')).toBeUndefined();
    });
  });

  describe('counts', () => {
    it('counts steps and active steps, keeping them in start order', () => {
      const models = play(
        new EventScript()
          .startRun('r')
          .onRun('r', 'StepStarted', { stepId: 's1', name: 'one', kind: 'tool', input: 1 })
          .onRun('r', 'StepStarted', { stepId: 's2', name: 'two', kind: 'tool' })
          .onRun('r', 'StepStarted', { stepId: 's3', name: 'three', kind: 'tool' })
          .onRun('r', 'StepCompleted', { stepId: 's1', output: 'done' })
          .onRun('r', 'StepFailed', { stepId: 's2', error: { message: 'no' } }),
      );
      const run = models.getRun('r')!;
      expect(run.stepCount).toBe(3);
      expect(run.activeStepCount).toBe(1);
      expect(run.steps.map(({ stepId, status }) => [stepId, status])).toEqual([
        ['s1', 'completed'],
        ['s2', 'failed'],
        ['s3', 'running'],
      ]);
      expect(run.steps[0]).toEqual({
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
      expect(run.steps[1].error).toEqual({ message: 'no' });
    });

    it('counts running children, running descendants of the root and depth', () => {
      const script = new EventScript().startRun('root').spawn('root', 'a', 0).spawn('root', 'b', 1).spawn('a', 'a1', 0);
      const running = play(script);
      expect(running.getRun('root')).toMatchObject({ childCount: 2, activeChildCount: 2 });
      expect(running.getRun('a1')).toMatchObject({ depth: 2, rootRunId: 'root' });
      expect(running.runningDescendantsOfRoot('root')).toBe(3);
      expect(running.treeShape('a')).toEqual({ rootRunId: 'root', parentDepth: 1, parentChildCount: 1, runningDescendantsOfRoot: 3 });

      const models = play(script.onRun('a1', 'RunCompleted', {}).onRun('b', 'RunFailed', { error: 'x' }));
      expect(models.getRun('root')).toMatchObject({ childCount: 2, activeChildCount: 1 });
      expect(models.getRun('a')).toMatchObject({ childCount: 1, activeChildCount: 0 });
      expect(models.runningDescendantsOfRoot('root')).toBe(1);
    });
  });

  it('lists descendants depth-first in pre-order, siblings oldest first', () => {
    const models = play(
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
    );
    expect(models.descendantIds('p')).toEqual(['a', 'a1', 'a1x', 'a2', 'b', 'b1']);
    expect(models.descendantIds('b')).toEqual(['b1']);
    expect(models.descendantIds('unknown')).toEqual([]);
  });

  describe('run lifecycle', () => {
    it('moves a run from running to one terminal status with its outcome, and no further', () => {
      const models = play(
        new EventScript()
          .startRun('ok', { input: { q: 1 }, metadata: { team: 'a' } })
          .onRun('ok', 'RunCompleted', { output: 42 })
          .onRun('ok', 'RunFailed', { error: 'too late' })
          .startRun('bad')
          .onRun('bad', 'RunFailed', { error: { message: 'boom' } }),
      );
      expect(models.getRun('ok')!.run).toEqual({
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
      expect(models.getRun('bad')!.run).toMatchObject({ status: 'failed', error: { message: 'boom' } });
      expect(models.getRun('bad')!.run).not.toHaveProperty('output');
    });

    it('keeps a run running while its cancel is requested, until RunCancelled', () => {
      const script = new EventScript()
        .startRun('r')
        .onRun('r', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' })
        .onRun('r', 'CancelRequested', { reason: 'stop', origin: 'root' });
      const requested = play(script);
      expect(requested.getRun('r')).toMatchObject({ status: 'running', cancelRequested: true });
      expect(requested.runsWithCancelRequestedAndRunning()).toEqual(['r']);

      const cancelled = play(
        script.onRun('r', 'StepCancelled', { stepId: 's', reason: 'stop' }).onRun('r', 'RunCancelled', { reason: 'stop', origin: 'root' }),
      );
      expect(cancelled.getRun('r')!.run).toMatchObject({ status: 'cancelled', cancelReason: 'stop' });
      expect(cancelled.getRun('r')!.steps[0].status).toBe('cancelled');
      expect(cancelled.getRun('r')!.activeStepCount).toBe(0);
      expect(cancelled.runsWithCancelRequestedAndRunning()).toEqual([]);
    });

    it('ignores events of runs it does not know', () => {
      const models = play(new EventScript().onRun('ghost', 'RunCompleted', {}).onRun('ghost', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' }));
      expect(models.getRun('ghost')).toBeUndefined();
      expect(models.runCount).toBe(0);
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

    it('gives the child view its session, thread and the thread record it started', () => {
      const models = play(script());
      expect(models.childView('c')).toMatchObject({
        substrate: 'session_thread',
        sessionId: 's1',
        threadId: 't1',
        ownsSession: true,
        stopSessionOnCancel: true,
        thread: { threadId: 't1', sessionId: 's1', name: 'main', metadata: {}, status: 'open', createdAt: '2025-01-01T00:00:04.000Z' },
      });
      expect(models.getRun('c')!.link).toMatchObject({ childSessionId: 's1', childThreadId: 't1' });
      expect(models.getSession('s1')).toEqual({ sessionId: 's1', metadata: { own: true }, status: 'open', ownerRunId: 'c', createdAt: '2025-01-01T00:00:03.000Z' });
    });

    it('finds cancelled owners whose session is still open, until it is closed', () => {
      const cancelled = script().onRun('c', 'RunCancelled', { reason: 'x', origin: { childOf: 'p' } });
      expect(play(cancelled).cancelledOwnersWithOpenSession()).toEqual([{ runId: 'c', sessionId: 's1' }]);

      const closed = play(cancelled.onSession('s1', 'SessionClosed', { byRunId: 'c' }).onThread('t1', 'ThreadClosed', {}));
      expect(closed.cancelledOwnersWithOpenSession()).toEqual([]);
      expect(closed.getSession('s1')?.status).toBe('closed');
      expect(closed.getThread('t1')?.status).toBe('closed');
      expect(closed.childView('c')?.thread?.status).toBe('closed');
    });
  });

  it('builds the same snapshot from the same log', () => {
    const script = new EventScript()
      .startRun('p')
      .spawn('p', 'a', 0)
      .link('p', 'b', 1)
      .onRun('a', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' })
      .onRun('a', 'RunCompleted', { output: 1 })
      .onRun('p', 'CancelRequested', { reason: 'r', origin: 'root' });
    const first = play(script).snapshot();
    const second = play(script).snapshot();
    expect(JSON.parse(JSON.stringify(second))).toEqual(JSON.parse(JSON.stringify(first)));
    expect(Object.keys(first.runs)).toEqual(['a', 'p']);
    expect(Object.keys(first.pendingLinks)).toEqual(['b']);
    expect(first.cancelRequestedAndRunning).toEqual(['p']);
  });
});
