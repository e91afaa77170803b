import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreConformance } from '@runtree/event-store/testing';
import { StoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from '../port/errors.js';
import type { EventToAppend } from '../port/types.js';
import { openSqliteEventStore } from './index.js';

function event(data: { [key: string]: string | number } = {}): EventToAppend {
  return { id: randomUUID(), type: 'SqliteSpecEvent', data };
}

function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'runtree-sqlite-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

runEventStoreConformance('sqlite :memory:', async () => {
  const store = openSqliteEventStore({ path: ':memory:' });
  return { store, dispose: () => store.close() };
}, { multiStreamAppend: 'claimed' });

runEventStoreConformance('sqlite file', async () => {
  const directory = temporaryDirectory();
  const store = openSqliteEventStore({ path: join(directory.path, 'nested', 'events.db') });
  return {
    store,
    dispose: async () => {
      await store.close();
      directory.remove();
    },
  };
}, { multiStreamAppend: 'claimed' });

describe('SQLite event store', () => {
  let directory: { path: string; remove: () => void };
  beforeAll(() => {
    directory = temporaryDirectory();
  });
  afterAll(() => directory.remove());
  const fileAt = (name: string) => join(directory.path, name);

  it('keeps its events, metadata and deletions across close and reopen', async () => {
    const path = fileAt('reopen.db');
    const first = openSqliteEventStore({ path });
    const kept = event({ note: 'kept' });
    await first.appendToStream('orders-1', [kept], { expectedRevision: 'no_stream' });
    await first.setStreamMetadata('orders-1', { custom: { owner: 'me' } });
    await first.appendToStream('orders-2', [event()], { expectedRevision: 'no_stream' });
    await first.deleteStream('orders-2');
    await first.close();

    const reopened = openSqliteEventStore({ path });
    const [read] = await reopened.readStream('orders-1');
    expect([read.id, read.data]).toEqual([kept.id, { note: 'kept' }]);
    expect((await reopened.getStreamMetadata('orders-1')).metadata).toEqual({ custom: { owner: 'me' } });
    await expect(reopened.readStream('orders-2')).rejects.toBeInstanceOf(StreamNotFoundError);
    const next = await reopened.appendToStream('orders-1', [event()], { expectedRevision: 0n });
    expect(next.nextExpectedRevision).toBe(1n);
    await reopened.close();
  });

  it('group-commits concurrent appends: 64 callers, far fewer transactions', async () => {
    const store = openSqliteEventStore({ path: fileAt('group.db') });
    const before = store.stats();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, index) => store.appendToStream(`stream-${index}`, [event()], { expectedRevision: 'no_stream' })),
    );
    const after = store.stats();
    expect(results).toHaveLength(64);
    expect(after.writes - before.writes).toBe(64);
    expect(after.transactions - before.transactions).toBeLessThanOrEqual(4);
    await store.close();
  });

  it('commits the rest of a batch when one append in it conflicts, checking same-stream appends in order', async () => {
    const store = openSqliteEventStore({ path: ':memory:' });
    const [first, conflicting, second, other] = await Promise.allSettled([
      store.appendToStream('shared', [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('shared', [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('shared', [event()], { expectedRevision: 0n }),
      store.appendToStream('other', [event()], { expectedRevision: 'no_stream' }),
    ]);
    expect(store.stats().transactions).toBe(1);
    expect(first).toEqual({ status: 'fulfilled', value: expect.objectContaining({ nextExpectedRevision: 0n }) });
    expect(conflicting.status).toBe('rejected');
    expect((conflicting as PromiseRejectedResult).reason).toEqual(new WrongExpectedRevisionError('shared', 'no_stream', 0n));
    expect(second).toEqual({ status: 'fulfilled', value: expect.objectContaining({ nextExpectedRevision: 1n }) });
    expect(other.status).toBe('fulfilled');
    expect((await store.readStream('shared')).map((recorded) => recorded.revision)).toEqual([0n, 1n]);
    await store.close();
  });

  it('is durable by default: WAL with synchronous=FULL, as SQLite reports it', async () => {
    const store = openSqliteEventStore({ path: fileAt('durability.db') });
    expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
    await store.close();
    const relaxed = openSqliteEventStore({ path: fileAt('durability.db'), synchronous: 'NORMAL' });
    expect(relaxed.durability().synchronous).toBe('NORMAL');
    await relaxed.close();
  });

  describe('when the file cannot be written', () => {
    // Tests run as root here, where chmod, read-only flags and query_only do not stop a
    // writer. What does, for root too, is another connection holding SQLite's write lock:
    // the store cannot write the file until it is released, exactly as with a backup tool or
    // a second process on the same file. The store waits its busy timeout, then must refuse.
    let path: string;
    let blocker: Database.Database;

    beforeAll(async () => {
      path = fileAt('locked.db');
      await openSqliteEventStore({ path }).close();
      blocker = new Database(path);
    });
    afterAll(() => {
      blocker.close();
    });

    it('refuses every append of the batch with StoreUnavailableError and writes none of them', async () => {
      const store = openSqliteEventStore({ path });
      blocker.exec('BEGIN EXCLUSIVE');
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c'].map((stream) => store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' })),
      );
      blocker.exec('ROLLBACK');
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as StoreUnavailableError;
        expect(reason).toBeInstanceOf(StoreUnavailableError);
        expect(reason.message).toMatch(/database is locked/);
      }
      for (const stream of ['a', 'b', 'c']) await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      const recovered = await store.appendToStream('a', [event()], { expectedRevision: 'no_stream' });
      expect(recovered.nextExpectedRevision).toBe(0n);
      await store.close();
    }, 15_000);
  });

  it('refuses calls after close with StoreUnavailableError and ends its subscriptions', async () => {
    const store = openSqliteEventStore({ path: ':memory:' });
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: { type: 'caught_up' } });
    const pending = iterator.next();
    await store.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    await expect(store.appendToStream('late', [event()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
