// The embedded SQLite store's file becomes read-only, or its disk fills up, while the service runs;
// then the condition clears. How the faults are simulated, and why:
// - This runs as root in CI, and root ignores file permissions, so chmod cannot make the file
//   read-only. Mounting a read-only or size-limited filesystem (tmpfs, loop device) works on some
//   machines but needs privileges CI may not grant, so no test depends on it.
// - Instead the faults are set on the store's OWN SQLite connection, so SQLite itself refuses the
//   write inside the adapter's real code path (group commit, savepoints, rollback):
//   `PRAGMA query_only = ON` makes every write fail with SQLITE_READONLY, exactly as a read-only
//   file does; `PRAGMA max_page_count = <current page count>` makes any write that needs a new page
//   fail with SQLITE_FULL, exactly as a full disk does (the events here are larger than a page, so
//   every append needs new pages). Both are per connection and undone by setting them back, which
//   is how "the condition clears" without reopening the store or restarting the service.
// The test opens the database itself (the adapter's own `openDatabase`) to hold that connection,
// and hands the store to the service in place of the one it would open.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { SqliteEventStore, StoreUnavailableError, StreamNotFoundError } from '@runtree/event-store';
import { openDatabase } from '../../../libs/event-store/src/sqlite/schema.js';
import { failCommits } from '../../support/failing-commits.js';
import { errorOf } from '../http/http-app.js';
import { startServiceOnStore, type ServiceOnStore } from './service-on-store.js';

interface SqliteFault {
  readonly name: string;
  /** What the store's error must say. */
  readonly reason: RegExp;
  inject(db: Database.Database): void;
  clear(db: Database.Database): void;
}

const readOnly: SqliteFault = {
  name: 'read-only file',
  reason: /is read-only: attempt to write a readonly database \(SQLITE_READONLY\)/,
  inject: (db) => db.pragma('query_only = ON'),
  clear: (db) => db.pragma('query_only = OFF'),
};

const limits = new WeakMap<Database.Database, string>();
const diskFull: SqliteFault = {
  name: 'disk full',
  reason: /cannot grow: disk full: database or disk is full \(SQLITE_FULL\)/,
  inject: (db) => {
    limits.set(db, String(db.pragma('max_page_count', { simple: true })));
    db.pragma(`max_page_count = ${String(db.pragma('page_count', { simple: true }))}`);
  },
  clear: (db) => db.pragma(`max_page_count = ${limits.get(db)}`),
};

/** Larger than a SQLite page (4 KiB), so writing it always needs new pages. */
const bigPayload = (label: string) => ({ label, text: 'x'.repeat(10_000) });
const anEvent = (n: number) => ({ id: randomUUID(), type: 'Noted', data: bigPayload(`event ${n}`) });

let directory: string;
let file: string;
let db: Database.Database;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'runtree-sqlite-faults-'));
  file = join(directory, 'runtree.db');
  db = openDatabase(file, 'FULL');
});

afterEach(async () => {
  if (db.open) db.close();
  await rm(directory, { recursive: true, force: true });
});

describe.each([readOnly, diskFull])('SQLite event store: $name', (fault) => {
  it('refuses an append with store_unavailable naming the file and the reason, writes none of it, and works again once the condition clears', async () => {
    const store = new SqliteEventStore(db);
    await store.appendToStream('before', [anEvent(0)], { expectedRevision: 'no_stream' });

    fault.inject(db);
    const batch = [anEvent(1), anEvent(2), anEvent(3)];
    const refused = await store.appendToStream('batch', batch, { expectedRevision: 'no_stream' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect((refused as Error).message).toContain(`SQLite event store file ${file} `);
    expect((refused as Error).message).toMatch(fault.reason);
    // All or nothing, and reads still served meanwhile.
    await expect(store.readStream('batch')).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await store.readAll()).map((event) => event.streamName)).toEqual(['before']);
    // The writability check (what /health asks) tells the same reason.
    const unwritable = await store.checkWritable().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(unwritable).toBeInstanceOf(StoreUnavailableError);
    expect((unwritable as Error).message).toContain(`SQLite event store file ${file} `);
    expect((unwritable as Error).message).toMatch(fault.reason);

    fault.clear(db);
    const head = await store.headPosition();
    await store.checkWritable();
    // The check wrote nothing.
    expect(await store.headPosition()).toEqual(head);
    expect((await store.readAll()).map((event) => event.streamName)).toEqual(['before']);
    await store.appendToStream('batch', batch, { expectedRevision: 'no_stream' });
    expect((await store.readStream('batch')).map((event) => event.id)).toEqual(batch.map((event) => event.id));
    await store.close();
  });
});

describe.each([readOnly, diskFull])('the service on SQLite: $name', (fault) => {
  let service: ServiceOnStore | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  it('answers commands 503 store_unavailable with the clear reason, keeps serving reads, and takes commands again once it clears, without a restart', async () => {
    service = await startServiceOnStore(new SqliteEventStore(db));
    const { http } = service;
    await http.post('/runs').send({ runId: 'before', input: bigPayload('before') }).expect(201);

    fault.inject(db);
    const refused = await http.post('/runs').send({ runId: 'during', input: bigPayload('during') }).expect(503);
    expect(errorOf(refused).code).toBe('store_unavailable');
    expect(errorOf(refused).message).toContain(file);
    expect(errorOf(refused).message).toMatch(fault.reason);
    expect(errorOf(refused).message).toMatch(/gave up after [2-4] attempts over \d+ ms/); // 4 unless the machine is slow
    await http.get('/runs/during').expect(404);
    // Reads do not touch the refused write: runs still answer.
    await http.get('/runs/before').expect(200);
    // /health tells the store cannot take writes, with the same clear reason; the projection is fine.
    const unhealthy = await http.get('/health').expect(503);
    expect(unhealthy.body.error).toMatchObject({ store: { status: 'down' } });
    expect(unhealthy.body.details.projection).toMatchObject({ status: 'up' });
    expect(unhealthy.body.error.store.message).toContain(`SQLite event store file ${file} `);
    expect(unhealthy.body.error.store.message).toMatch(fault.reason);

    fault.clear(db);
    // Recovers with no command sent in between: /health itself re-checks, and wrote nothing.
    const healthy = await http.get('/health').expect(200);
    expect(healthy.body.details).toMatchObject({ store: { status: 'up' }, projection: { status: 'up' } });
    await http.get('/runs/during').expect(404);
    await http.post('/runs').send({ runId: 'during', input: bigPayload('during') }).expect(201);
    await http.post('/runs/during/complete').send({ output: 'after the fault cleared' }).expect(200);
    await http.get('/runs/during/await?timeoutMs=0').expect(200);
  });
});

describe('the service on SQLite: a commit fails', () => {
  let service: ServiceOnStore | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  // What the writability probe cannot see (failCommits: every write succeeds, its COMMIT fails).
  it('turns /health 503 naming the failed commit, and back to 200 once a command commits', async () => {
    service = await startServiceOnStore(new SqliteEventStore(db));
    const { http } = service;
    await http.get('/health').expect(200);

    const commits = failCommits(db);
    const refused = await http.post('/runs').send({ runId: 'during', input: bigPayload('during') }).expect(503);
    expect(errorOf(refused).code).toBe('store_unavailable');
    const unhealthy = await http.get('/health').expect(503);
    expect(unhealthy.body.error.store).toMatchObject({ status: 'down' });
    expect(unhealthy.body.error.store.message).toMatch(/^The last commit failed \d+ ms ago: /);
    expect(unhealthy.body.error.store.message).toContain(`SQLite event store file ${file} is locked by another connection`);

    commits.release();
    await http.post('/runs').send({ runId: 'after', input: bigPayload('after') }).expect(201);
    const healthy = await http.get('/health').expect(200);
    expect(healthy.body.details).toMatchObject({ store: { status: 'up' } });
  });
});
