import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { openSqliteEventStore, type SqliteEventStore, type Subscription } from '@runtree/event-store';
import { openSqliteReadStore, type SqliteReadStore } from '@runtree/read-store';
import { defaultMemoryBudget } from '../write/memory-budget.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { EventScript } from '../projections/testing/event-script.js';
import { RunWatchers, type AwaitOutcome } from './run-watchers.js';

describe('RunWatchers', () => {
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let runner: ProjectionRunner;
  let watchers: RunWatchers;
  let stoppedSubscriptions: number;

  beforeEach(async () => {
    store = openSqliteEventStore({ path: ':memory:' });
    readStore = openSqliteReadStore({ path: ':memory:' });
    runner = new ProjectionRunner(store, readStore);
    watchers = new RunWatchers(runner, store, readStore, defaultMemoryBudget);
    stoppedSubscriptions = 0;
    const subscribe = store.subscribeToStream.bind(store);
    jest.spyOn(store, 'subscribeToStream').mockImplementation((streamName, options): Subscription => {
      const subscription = subscribe(streamName, options);
      const stop = subscription.stop.bind(subscription);
      subscription.stop = () => {
        stoppedSubscriptions++;
        return stop();
      };
      return subscription;
    });
    runner.start();
    await runner.waitFor((await new EventScript().startRun('r').startRun('done').onRun('done', 'RunCompleted', { output: 'ok' }).appendTo(store)).position);
  });

  afterEach(async () => {
    watchers.onModuleDestroy();
    await runner.stop();
    await store.close();
    await readStore.close();
    jest.restoreAllMocks();
  });

  /** Waiters join their run's watch once the read models have answered: after this they are counted. */
  const joined = () => new Promise((resolve) => setImmediate(resolve));

  function awaitOutcome(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<AwaitOutcome> {
    return new Promise((resolve) => watchers.await(runId, timeoutMs, resolve, signal));
  }

  async function append(script: EventScript): Promise<void> {
    await runner.waitFor((await script.appendTo(store)).position);
  }

  it('answers not_found for an unknown run', async () => {
    expect(await awaitOutcome('nope', 1000)).toEqual(E.left(expect.objectContaining({ code: 'not_found', details: { runId: 'nope' } })));
  });

  it('answers a terminal run at once, whatever the timeout', async () => {
    for (const timeoutMs of [0, 60_000]) {
      const outcome = await awaitOutcome('done', timeoutMs);
      expect(outcome).toEqual(E.right(expect.objectContaining({ status: 'completed', output: 'ok', run: expect.objectContaining({ runId: 'done' }) })));
    }
    expect(store.subscribeToStream).not.toHaveBeenCalled();
  });

  it('times out at once for a running run with a zero timeout', async () => {
    expect(await awaitOutcome('r', 0)).toEqual(E.left(expect.objectContaining({ code: 'timeout', details: { runId: 'r', timeoutMs: 0 } })));
    expect(watchers.watcherCount).toBe(0);
  });

  // How fast is the bench's to measure (await wake-up p50/p99); here: woken by the event, not by the 60 s timeout.
  it('wakes every waiter with one shared subscription when the terminal event arrives', async () => {
    const waiting = Array.from({ length: 5 }, () => awaitOutcome('r', 60_000));
    await joined();
    expect(watchers.watcherCount).toBe(1);
    expect(watchers.waiterCount).toBe(5);

    await new EventScript().onRun('r', 'RunFailed', { error: { message: 'boom' } }).appendTo(store);
    const outcomes = await Promise.all(waiting);

    for (const outcome of outcomes) {
      expect(outcome).toEqual(E.right(expect.objectContaining({ status: 'failed', error: { message: 'boom' }, run: expect.objectContaining({ status: 'failed' }) })));
    }
    expect(store.subscribeToStream).toHaveBeenCalledTimes(1);
    expect(watchers.watcherCount).toBe(0);
    expect(watchers.waiterCount).toBe(0);
    expect(stoppedSubscriptions).toBeGreaterThanOrEqual(1);
  });

  it('settles every waiter of a run in one pass, before any of them runs a promise step', async () => {
    const settledWhenFirstReacts: number[] = [];
    let settled = 0;
    let allSettled!: () => void;
    const done = new Promise<void>((resolve) => (allSettled = resolve));
    for (let i = 0; i < 100; i++) {
      watchers.await('r', 60_000, () => {
        settled++;
        if (settled === 1) queueMicrotask(() => settledWhenFirstReacts.push(settled));
        if (settled === 100) allSettled();
      });
    }
    await append(new EventScript().onRun('r', 'RunCompleted', {}));
    await done;
    expect(settledWhenFirstReacts).toEqual([100]);
  });

  it('gives a waiter whose timeout passes `timeout`, and closes the subscription when the last one leaves', async () => {
    const patient = awaitOutcome('r', 60_000);
    const hasty = await awaitOutcome('r', 20);
    expect(hasty).toEqual(E.left(expect.objectContaining({ code: 'timeout', details: { runId: 'r', timeoutMs: 20 } })));
    expect(watchers.waiterCount).toBe(1);
    expect(watchers.watcherCount).toBe(1);
    expect(stoppedSubscriptions).toBe(0);

    await append(new EventScript().onRun('r', 'RunCancelled', { reason: 'enough', origin: 'root' }));
    expect(await patient).toEqual(E.right(expect.objectContaining({ status: 'cancelled', cancelReason: 'enough' })));

    await append(new EventScript().startRun('slow'));
    expect(await awaitOutcome('slow', 10)).toEqual(E.left(expect.objectContaining({ code: 'timeout' })));
    expect(watchers.watcherCount).toBe(0);
    expect(watchers.waiterCount).toBe(0);
    expect(stoppedSubscriptions).toBeGreaterThanOrEqual(2);
  });

  it('ignores the run events that are not terminal', async () => {
    const waiting = awaitOutcome('r', 60_000);
    await joined();
    await append(new EventScript().onRun('r', 'StepStarted', { stepId: 's', name: 'n', kind: 'k' }));
    expect(watchers.waiterCount).toBe(1);
    await append(new EventScript().onRun('r', 'RunCompleted', {}));
    const outcome = await waiting;
    expect(outcome).toEqual(E.right(expect.objectContaining({ status: 'completed' })));
    expect(E.isRight(outcome) && 'output' in outcome.right).toBe(false);
  });

  it('lets a waiter whose caller aborts leave at once, the run still watched for the others', async () => {
    const leaving = new AbortController();
    const abandoned = awaitOutcome('r', 60_000, leaving.signal);
    const staying = awaitOutcome('r', 60_000);
    await joined();

    leaving.abort();
    expect(await abandoned).toEqual(E.left(expect.objectContaining({ code: 'timeout', details: { runId: 'r', timeoutMs: 60_000, aborted: true } })));
    expect(watchers.waiterCount).toBe(1);
    expect(watchers.watcherCount).toBe(1);
    expect(stoppedSubscriptions).toBe(0);

    await append(new EventScript().onRun('r', 'RunCompleted', { output: 'late' }));
    expect(await staying).toEqual(E.right(expect.objectContaining({ status: 'completed', output: 'late' })));
  });

  it("closes the run's subscription when its last waiter's caller aborts", async () => {
    const first = new AbortController();
    const second = new AbortController();
    const waiting = [awaitOutcome('r', 60_000, first.signal), awaitOutcome('r', 60_000, second.signal)];
    await joined();

    first.abort();
    second.abort();
    for (const outcome of await Promise.all(waiting)) expect(outcome).toEqual(E.left(expect.objectContaining({ code: 'timeout' })));
    expect(watchers.watcherCount).toBe(0);
    expect(watchers.waiterCount).toBe(0);
    expect(stoppedSubscriptions).toBe(1);
  });

  it('answers an already-aborted signal at once without subscribing', async () => {
    const outcome = await awaitOutcome('r', 60_000, AbortSignal.abort());
    expect(outcome).toEqual(E.left(expect.objectContaining({ code: 'timeout', details: expect.objectContaining({ aborted: true }) })));
    expect(store.subscribeToStream).not.toHaveBeenCalled();
    expect(watchers.watcherCount).toBe(0);
  });

  it('settles a waiter once: an abort after the run ended changes nothing', async () => {
    const leaving = new AbortController();
    const outcomes: AwaitOutcome[] = [];
    const answered = new Promise<void>((resolve) => {
      watchers.await('r', 60_000, (outcome) => (outcomes.push(outcome), resolve()), leaving.signal);
    });
    await joined();
    await append(new EventScript().onRun('r', 'RunCompleted', {}));
    await answered;

    leaving.abort();
    expect(outcomes).toEqual([E.right(expect.objectContaining({ status: 'completed' }))]);
  });

  it('releases its waiters when the module is destroyed', async () => {
    const waiting = awaitOutcome('r', 60_000);
    await joined();
    watchers.onModuleDestroy();
    expect(await waiting).toEqual(E.left(expect.objectContaining({ code: 'store_unavailable' })));
    expect(watchers.watcherCount).toBe(0);
  });
});

describe('RunWatchers memory budget', () => {
  it('refuses an await past its budget with too_many_requests, naming the budget, and takes one again once a watch closes', async () => {
    const store = openSqliteEventStore({ path: ':memory:' });
    const readStore = openSqliteReadStore({ path: ':memory:' });
    const runner = new ProjectionRunner(store, readStore);
    const budget = { ...defaultMemoryBudget, awaitBytes: 2 * (4096 + 512) };
    const watchers = new RunWatchers(runner, store, readStore, budget);
    runner.start();
    try {
      await runner.waitFor((await new EventScript().startRun('a').startRun('b').startRun('c').appendTo(store)).position);
      const awaitOutcome = (runId: string) => new Promise<AwaitOutcome>((resolve) => watchers.await(runId, 60_000, resolve));
      const first = awaitOutcome('a');
      const second = awaitOutcome('b');
      await new Promise((resolve) => setImmediate(resolve));
      expect(await awaitOutcome('c')).toEqual(E.left(expect.objectContaining({ code: 'too_many_requests', details: expect.objectContaining({ awaitBytes: budget.awaitBytes, watchedRuns: 2 }) })));
      await runner.waitFor((await new EventScript().onRun('a', 'RunCompleted', {}).appendTo(store)).position);
      expect(await first).toEqual(E.right(expect.objectContaining({ status: 'completed' })));
      const third = awaitOutcome('c');
      await runner.waitFor((await new EventScript().onRun('b', 'RunCompleted', {}).onRun('c', 'RunCompleted', {}).appendTo(store)).position);
      expect(await second).toEqual(E.right(expect.objectContaining({ status: 'completed' })));
      expect(await third).toEqual(E.right(expect.objectContaining({ status: 'completed' })));
    } finally {
      watchers.onModuleDestroy();
      await runner.stop();
      await store.close();
      await readStore.close();
    }
  });
});
