import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failCommits } from '../../../../test/support/failing-commits.js';
import { StoreUnavailableError } from '../port/errors.js';
import { COMMIT_FAILURE_REPORTED_FOR_MS } from './last-commit-failure.js';
import { openDatabase } from './schema.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const anEvent = () => ({ id: randomUUID(), type: 'Noted', data: {} });

/** What `checkWritable` rejects with, or undefined when it resolves. */
async function unwritableReason(store: SqliteEventStore): Promise<unknown> {
  return store.checkWritable().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('SQLite event store: a commit that fails', () => {
  let directory: string;
  let file: string;
  let db: Database.Database;
  let clock: number;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'runtree-commit-failure-'));
    file = join(directory, 'events.db');
    db = openDatabase(file, 'FULL');
    clock = 1_000_000;
    store = new SqliteEventStore(db, () => clock);
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** One append whose COMMIT fails; afterwards commits work again, and the writability probe passes throughout. */
  async function failOneCommit(): Promise<void> {
    const commits = failCommits(db);
    await expect(store.appendToStream('lost', [anEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(StoreUnavailableError);
    commits.release();
  }

  it('makes checkWritable refuse, saying when and why, until a write commits', async () => {
    await store.appendToStream('before', [anEvent()], { expectedRevision: 'no_stream' });
    await store.checkWritable();

    await failOneCommit();
    clock += 1_234;
    const reason = await unwritableReason(store);
    expect(reason).toBeInstanceOf(StoreUnavailableError);
    expect((reason as Error).message).toBe(
      `The last commit failed 1234 ms ago: SQLite event store file ${file} is locked by another connection: database is locked (SQLITE_BUSY)`,
    );
    // Nothing committed since: the file takes writes again, but nothing has shown it yet.
    expect(await unwritableReason(store)).toBeInstanceOf(StoreUnavailableError);

    await store.appendToStream('after', [anEvent()], { expectedRevision: 'no_stream' });
    await store.checkWritable();
  });

  it(`stops refusing ${COMMIT_FAILURE_REPORTED_FOR_MS} ms after the failure when nothing committed since`, async () => {
    await failOneCommit();
    clock += COMMIT_FAILURE_REPORTED_FOR_MS - 1;
    expect(await unwritableReason(store)).toBeInstanceOf(StoreUnavailableError);
    clock += 1;
    await store.checkWritable();
  });

  it('stops refusing when the clock is set back past the failure, so the bound holds', async () => {
    await failOneCommit();
    clock -= 1;
    await store.checkWritable();
  });
});
