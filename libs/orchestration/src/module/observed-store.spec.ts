import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { openSqliteEventStore, supportsMultiStreamAppend, type SqliteEventStore } from '@runtree/event-store';
import type { StoreCallFinished } from '../facade/orchestrator-observer.js';
import { observedStore } from './observed-store.js';

const happened = () => ({ id: randomUUID(), type: 'Happened', data: { n: 1 } });

describe('the observed store', () => {
  let store: SqliteEventStore;

  afterEach(async () => {
    await store.close();
  });

  it("keeps the store's multi-stream append: both streams in one call, timed as one append", async () => {
    store = openSqliteEventStore({ path: ':memory:' });
    const reports: StoreCallFinished[] = [];
    const observed = observedStore(store, (report) => reports.push(report));

    expect(supportsMultiStreamAppend(observed)).toBe(true);
    if (!supportsMultiStreamAppend(observed)) return;
    await observed.appendToStreams([
      { streamName: 'a', events: [happened()], expectedRevision: 'no_stream' },
      { streamName: 'b', events: [happened()], expectedRevision: 'no_stream' },
    ]);
    expect((await store.readStream('a')).length + (await store.readStream('b')).length).toBe(2);
    expect(reports.map(({ call, outcome }) => ({ call, outcome }))).toEqual([{ call: 'append', outcome: 'ok' }]);
  });

  it('offers no multi-stream append over a store without one, so the write side goes one stream at a time', () => {
    store = openSqliteEventStore({ path: ':memory:' });
    // EventStoreDB's adapter, say: the same port without the optional method.
    const withoutIt = new Proxy(store, { get: (target, key) => (key === 'appendToStreams' ? undefined : Reflect.get(target, key)) });
    expect(supportsMultiStreamAppend(withoutIt)).toBe(false);
    expect(supportsMultiStreamAppend(observedStore(withoutIt, undefined))).toBe(false);
  });
});
