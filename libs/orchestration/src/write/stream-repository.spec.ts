import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { openSqliteEventStore, type EventStore } from '@runtree/event-store';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { answeredWithin, deferred } from '../../../../test/support/deferred.js';
import { runStream } from '../streams/stream-names.js';
import type { CommandContext } from './event-envelope.js';
import { StoreRetry } from './store-retry.js';
import { defaultMemoryBudget } from './memory-budget.js';
import { StreamRepository } from './stream-repository.js';

const RUN = 'run-a';
const STREAM = runStream(RUN);
let commands = 0;
const context = (): CommandContext => {
  const commandId = `command-${++commands}`;
  return { commandId, correlationId: commandId, causationId: commandId, occurredAt: '2025-01-01T00:00:00.000Z' };
};
const startRun: RunCommand = { type: 'StartRun', runId: RUN, kind: 'agent', metadata: {} };

/** Counts reads (one per `readStream` or `readStreams` call), to see when the repository reads the store. */
function countingReads(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const counted = Object.create(store) as EventStore;
  counted.readStream = (...args) => {
    reads++;
    return store.readStream(...args);
  };
  counted.readStreams = (...args) => {
    reads++;
    return store.readStreams(...args);
  };
  return { store: counted, reads: () => reads };
}

describe('StreamRepository', () => {
  let store: EventStore;
  // Two processes writing one store: each has its own repository and cache.
  let here: StreamRepository;
  let elsewhere: StreamRepository;
  let reads: () => number;

  beforeEach(async () => {
    store = openSqliteEventStore({ path: ':memory:' });
    const counted = countingReads(store);
    reads = counted.reads;
    here = new StreamRepository(counted.store, new StoreRetry(), defaultMemoryBudget);
    elsewhere = new StreamRepository(store, new StoreRetry(), defaultMemoryBudget);
    expect(E.isRight(await here.execute(STREAM, RUN, runDecider, startRun, context()))).toBe(true);
  });

  afterEach(() => store.close());

  it('decides on what it wrote without reading it back', async () => {
    const before = reads();
    const started = await here.execute(STREAM, RUN, runDecider, { type: 'StartStep', stepId: 's1', name: 'n', kind: 'k' }, context());
    const completed = await here.execute(STREAM, RUN, runDecider, { type: 'CompleteStep', stepId: 's1' }, context());
    expect(E.isRight(started) && E.isRight(completed)).toBe(true);
    expect(reads()).toBe(before);
    const loaded = await here.load(STREAM, RUN, runDecider);
    expect(loaded.revision).toBe(2n);
    expect(loaded.state.steps.get('s1')).toBe('completed');
  });

  it('refuses on the state the store holds: a write from elsewhere makes the stale decision fail and the retry refuse', async () => {
    expect(E.isRight(await elsewhere.execute(STREAM, RUN, runDecider, { type: 'CompleteRun' }, context()))).toBe(true);
    const refused = await here.execute(STREAM, RUN, runDecider, { type: 'StartStep', stepId: 's1', name: 'n', kind: 'k' }, context());
    expect(refused).toEqual(E.left(expect.objectContaining({ code: 'invalid_status_transition' })));
    expect((await store.readStream(STREAM)).map((event) => event.type)).toEqual(['RunStarted', 'RunCompleted']);
  });

  it('confirms a refusal from the store before answering: what another process wrote is seen', async () => {
    expect(E.isRight(await elsewhere.execute(STREAM, RUN, runDecider, { type: 'StartStep', stepId: 's1', name: 'n', kind: 'k' }, context()))).toBe(true);
    // The cache here has no step s1; the store has it.
    const completed = await here.execute(STREAM, RUN, runDecider, { type: 'CompleteStep', stepId: 's1' }, context());
    expect(E.isRight(completed)).toBe(true);
    expect((await store.readStream(STREAM)).map((event) => event.type)).toEqual(['RunStarted', 'StepStarted', 'StepCompleted']);
  });

  it('answers a retried command from the cache without writing it again', async () => {
    const retried = context();
    const first = await here.execute(STREAM, RUN, runDecider, { type: 'CompleteRun' }, retried, { alreadyApplied: (state) => state.commandIds.has(retried.commandId) });
    const again = await here.execute(STREAM, RUN, runDecider, { type: 'CompleteRun' }, retried, { alreadyApplied: (state) => state.commandIds.has(retried.commandId) });
    expect(E.isRight(first) && E.isRight(again)).toBe(true);
    if (E.isRight(first) && E.isRight(again)) {
      expect(again.right.appended).toEqual([]);
      expect(again.right.position).toEqual(first.right.position);
    }
    expect(await store.readStream(STREAM)).toHaveLength(2);
  });

  describe('warm', () => {
    const others = ['run-b', 'run-c', 'run-d'];
    const streamsOf = (runIds: readonly string[]) => runIds.map((runId) => ({ streamName: runStream(runId), id: runId }));
    const complete: RunCommand = { type: 'CompleteRun' };

    beforeEach(async () => {
      for (const runId of others) {
        expect(E.isRight(await elsewhere.execute(runStream(runId), runId, runDecider, { ...startRun, runId }, context()))).toBe(true);
      }
    });

    it('reads many streams in one read, then decides on each without reading it', async () => {
      const before = reads();
      await here.warm(streamsOf(others), runDecider);
      expect(reads()).toBe(before + 1);
      for (const runId of others) {
        expect(E.isRight(await here.execute(runStream(runId), runId, runDecider, complete, context()))).toBe(true);
      }
      expect(reads()).toBe(before + 1);
      for (const runId of others) expect((await store.readStream(runStream(runId))).map((event) => event.type)).toEqual(['RunStarted', 'RunCompleted']);
    });

    it('reads nothing for streams it already holds', async () => {
      await here.warm(streamsOf(others), runDecider);
      const before = reads();
      await here.warm(streamsOf([RUN, ...others]), runDecider);
      expect(reads()).toBe(before);
    });

    it('reads the streams named ahead in the same read when one of its own must be read, and asks for none when all are held', async () => {
      let asked = 0;
      const ahead = () => {
        asked++;
        return streamsOf(['run-c', 'run-d', 'run-b']);
      };
      await here.warm(streamsOf([RUN]), runDecider, ahead);
      expect(asked).toBe(0);
      const before = reads();
      await here.warm(streamsOf(['run-b']), runDecider, ahead);
      await here.warm(streamsOf(['run-c', 'run-d']), runDecider, ahead);
      expect({ asked, reads: reads() - before }).toEqual({ asked: 1, reads: 1 });
      for (const runId of others) {
        expect(E.isRight(await here.execute(runStream(runId), runId, runDecider, complete, context()))).toBe(true);
      }
      expect(reads()).toBe(before + 1);
    });

    it('a state warmed before another process wrote is refused by the store, and the retry decides on what it holds', async () => {
      await here.warm(streamsOf(['run-b']), runDecider);
      expect(E.isRight(await elsewhere.execute(runStream('run-b'), 'run-b', runDecider, complete, context()))).toBe(true);
      const refused = await here.execute(runStream('run-b'), 'run-b', runDecider, { type: 'FailRun', error: 'late' }, context());
      expect(refused).toEqual(E.left(expect.objectContaining({ code: 'invalid_status_transition' })));
      expect((await store.readStream(runStream('run-b'))).map((event) => event.type)).toEqual(['RunStarted', 'RunCompleted']);
    });

    it('leaves a stream that does not exist to be read when it is used', async () => {
      await here.warm(streamsOf(['run-missing']), runDecider);
      const before = reads();
      const refused = await here.execute(runStream('run-missing'), 'run-missing', runDecider, complete, context());
      expect(refused).toEqual(E.left(expect.objectContaining({ code: 'not_found' })));
      expect(reads()).toBe(before + 1);
    });
  });

  describe('atomically', () => {
    const other = 'run-b';
    const step = (stepId: string): RunCommand => ({ type: 'StartStep', stepId, name: stepId, kind: 'k' });
    const stepsOf = async (runId: string) => (await store.readStream(runStream(runId))).filter((event) => event.type === 'StepStarted').map((event) => (event.data as { stepId: string }).stepId);
    beforeEach(async () => {
      expect(E.isRight(await here.execute(runStream(other), other, runDecider, { ...startRun, runId: other }, context()))).toBe(true);
    });

    it('two commits that take the same streams in different orders both land (no lock waits on a lock held by its waiter)', async () => {
      // One commit takes a then, a moment later, b; the other asks for both at once while the first holds a.
      const firstHoldsA = deferred();
      const gate = deferred();
      const inOrder = here.atomically(async (writer) => {
        const a = await writer.execute(STREAM, RUN, runDecider, step('first'), context());
        firstHoldsA.resolve();
        await gate.promise;
        const b = await writer.execute(runStream(other), other, runDecider, step('first'), context());
        return E.isLeft(a) ? a : E.map(() => 'in order')(b);
      });
      await firstHoldsA.promise;
      const atOnce = here.atomically(async (writer) => {
        const [a, b] = await Promise.all([
          writer.execute(STREAM, RUN, runDecider, step('second'), context()),
          writer.execute(runStream(other), other, runDecider, step('second'), context()),
        ]);
        return E.isLeft(a) ? a : E.map(() => 'at once')(b);
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
      gate.resolve();
      const [first, second] = await answeredWithin(Promise.all([inOrder, atOnce]), 2_000, 'both commits');
      expect(E.map((committed: { value: string }) => committed.value)(first)).toEqual(E.right('in order'));
      expect(E.map((committed: { value: string }) => committed.value)(second)).toEqual(E.right('at once'));
      expect(await stepsOf(RUN)).toEqual(['first', 'second']);
      expect(await stepsOf(other)).toEqual(['first', 'second']);
    });

    it('two commits that each hold one stream and then need the other\'s both land: one lets go and starts again', async () => {
      const runs: Record<string, number> = { ab: 0, ba: 0 };
      const holding = { ab: deferred(), ba: deferred() };
      const gate = deferred();
      const crossing = (name: 'ab' | 'ba', [first, second]: readonly string[]) =>
        here.atomically(async (writer) => {
          runs[name]++;
          const a = await writer.execute(runStream(first), first, runDecider, step(name), context());
          holding[name].resolve();
          await gate.promise;
          const b = await writer.execute(runStream(second), second, runDecider, step(name), context());
          return E.isLeft(a) ? a : E.map(() => name)(b);
        });
      const ab = crossing('ab', [RUN, other]);
      await holding.ab.promise;
      const ba = crossing('ba', [other, RUN]);
      await holding.ba.promise;
      gate.resolve();
      const [first, second] = await answeredWithin(Promise.all([ab, ba]), 2_000, 'both commits');
      expect(E.isRight(first) && E.isRight(second)).toBe(true);
      // At least one let go and staged again, taking both streams first: none needed a third try.
      expect(runs.ab + runs.ba).toBeGreaterThanOrEqual(3);
      expect(Math.max(runs.ab, runs.ba)).toBe(2);
      for (const runId of [RUN, other]) expect([...(await stepsOf(runId))].sort()).toEqual(['ab', 'ba']);
    });
  });

  it('holds no more states than its budget in bytes allows, and reads an evicted stream again when it is used', async () => {
    const budget = { ...defaultMemoryBudget, streamCacheBytes: 10 * runDecider.weigh(runDecider.initialState('x')) + 5000 };
    const small = new StreamRepository(store, new StoreRetry(), budget);
    const runIds = Array.from({ length: 50 }, (_, index) => `bounded-${index}`);
    for (const runId of runIds) {
      const started = await small.execute(runStream(runId), runId, runDecider, { type: 'StartRun', runId, kind: 'k', metadata: {} }, context());
      expect(E.isRight(started)).toBe(true);
      expect(small.cachedBytes).toBeLessThanOrEqual(budget.streamCacheBytes);
    }
    // The first runs were evicted long ago: their states come from the store, right.
    const first = await small.execute(runStream(runIds[0]), runIds[0], runDecider, { type: 'CompleteRun' }, context());
    expect(E.isRight(first)).toBe(true);
    expect((await store.readStream(runStream(runIds[0]))).map((event) => event.type)).toEqual(['RunStarted', 'RunCompleted']);
    expect(small.cachedBytes).toBeLessThanOrEqual(budget.streamCacheBytes);
  });
});
