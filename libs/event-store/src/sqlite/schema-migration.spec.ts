import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../port/errors.js';
import { openSqliteEventStore } from './index.js';

/** The first layout, as Runtree wrote it before streams were numbered. */
const FIRST_LAYOUT = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT, stream_name TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL,
  event_type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, created_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_by_stream_revision ON events (stream_name, revision);
CREATE INDEX events_by_stream_event_id ON events (stream_name, event_id);
CREATE TABLE streams (
  stream_name TEXT PRIMARY KEY, last_revision INTEGER NOT NULL, life_start INTEGER NOT NULL,
  max_count INTEGER, max_age INTEGER, truncate_before INTEGER, custom_metadata TEXT
) WITHOUT ROWID;
`;

const SOFT_DELETED = 9223372036854775807n;

interface FirstLayoutEvent {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
}

/** Positions 1 to 7, in this order: run-b is created before run-a, run-c is soft-deleted. */
const HISTORY: readonly FirstLayoutEvent[] = [
  { stream: 'run-b', revision: 0, type: 'RunStarted', data: '{"n":1}' },
  { stream: 'run-b', revision: 1, type: 'StepStarted', data: '{"n":2}' },
  { stream: 'run-a', revision: 0, type: 'RunStarted', data: '{"n":3}' },
  { stream: 'run-b', revision: 2, type: 'StepFinished', data: '{"n":4}' },
  { stream: '$$run-a', revision: 0, type: '$metadata', data: '{"owner":"team-a"}' },
  { stream: 'run-c', revision: 0, type: 'RunStarted', data: '{"n":6}' },
  { stream: '$$run-c', revision: 0, type: '$metadata', data: `{"$tb":${SOFT_DELETED}}` },
];

/** Writes HISTORY into a journal of the first layout; returns the event ids by position. */
function writeFirstLayoutJournal(path: string, options: { withoutStreamRow?: string } = {}): string[] {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(FIRST_LAYOUT);
    const insertEvent = db.prepare(
      'INSERT INTO events (stream_name, revision, event_id, event_type, data, metadata, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const putStream = db.prepare(
      'INSERT OR REPLACE INTO streams (stream_name, last_revision, life_start, truncate_before, custom_metadata) VALUES (?, ?, 0, ?, ?)',
    );
    const ids = HISTORY.map(() => randomUUID());
    db.transaction(() => {
      HISTORY.forEach((event, index) => insertEvent.run(event.stream, event.revision, ids[index], event.type, event.data, 'null', 1_700_000_000_000 + index));
      const rows: [string, number, bigint | null, string | null][] = [
        ['run-b', 2, null, null],
        ['run-a', 0, null, '{"owner":"team-a"}'],
        ['$$run-a', 0, null, null],
        ['run-c', 0, SOFT_DELETED, null],
        ['$$run-c', 0, null, null],
      ];
      for (const row of rows) if (row[0] !== options.withoutStreamRow) putStream.run(...row);
    })();
    return ids;
  } finally {
    db.close();
  }
}

function inspect<T>(path: string, query: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

describe('a journal of the first layout (streams keyed by name)', () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'runtree-migration-'));
    path = join(directory, 'events.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('opens with every event, revision, position and metadata it held', async () => {
    const ids = writeFirstLayoutJournal(path);
    const store = openSqliteEventStore({ path });
    try {
      const runB = await store.readStream('run-b');
      expect(runB.map((event) => [event.id, event.revision, event.position.commit, event.type, event.data])).toEqual([
        [ids[0], 0n, 1n, 'RunStarted', { n: 1 }],
        [ids[1], 1n, 2n, 'StepStarted', { n: 2 }],
        [ids[3], 2n, 4n, 'StepFinished', { n: 4 }],
      ]);
      expect((await store.readStreams(['run-a', 'run-b'])).map((event) => event.position.commit)).toEqual([1n, 2n, 3n, 4n]);
      expect((await store.readAll()).map((event) => event.id)).toEqual(expect.arrayContaining([ids[0], ids[2], ids[5]]));
      expect((await store.getStreamMetadata('run-a')).metadata).toEqual({ custom: { owner: 'team-a' } });
      await expect(store.readStream('run-c')).rejects.toBeInstanceOf(StreamNotFoundError);
    } finally {
      await store.close();
    }
  });

  it('takes appends where the streams left off: revisions checked, repeated ids recognised, positions after the last', async () => {
    const ids = writeFirstLayoutJournal(path);
    const store = openSqliteEventStore({ path });
    try {
      await expect(store.appendToStream('run-b', [{ id: randomUUID(), type: 'Late', data: {} }], { expectedRevision: 1n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      const repeated = await store.appendToStream('run-b', [{ id: ids[3], type: 'StepFinished', data: { n: 4 } }], { expectedRevision: 1n });
      expect(repeated).toMatchObject({ nextExpectedRevision: 2n, position: { commit: 4n } });
      const appended = await store.appendToStream('run-b', [{ id: randomUUID(), type: 'RunFinished', data: {} }], { expectedRevision: 2n });
      expect(appended).toMatchObject({ nextExpectedRevision: 3n, position: { commit: 8n } });
      const recreated = await store.appendToStream('run-c', [{ id: randomUUID(), type: 'RunStarted', data: {} }], { expectedRevision: 'no_stream' });
      expect(recreated.nextExpectedRevision).toBe(1n);
    } finally {
      await store.close();
    }
  });

  it('numbers the streams in the order of their first event', async () => {
    writeFirstLayoutJournal(path);
    await openSqliteEventStore({ path }).close();
    const order = inspect(path, (db) => db.prepare('SELECT stream_name FROM streams ORDER BY stream_id').pluck().all());
    expect(order).toEqual(['run-b', 'run-a', '$$run-a', 'run-c', '$$run-c']);
    // A second open finds the journal up to date and changes nothing.
    await openSqliteEventStore({ path }).close();
    expect(inspect(path, (db) => db.prepare('SELECT stream_name FROM streams ORDER BY stream_id').pluck().all())).toEqual(order);
  });

  it('refuses a journal it cannot migrate, naming the reason, and leaves the file as it was', async () => {
    writeFirstLayoutJournal(path, { withoutStreamRow: 'run-b' });
    expect(() => openSqliteEventStore({ path })).toThrow(/cannot migrate the journal: 3 of its 7 events have no row in streams/);
    const untouched = inspect(path, (db) => ({
      version: db.pragma('user_version', { simple: true }),
      tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(),
      events: db.prepare('SELECT count(*) FROM events WHERE stream_name IS NOT NULL').pluck().get(),
    }));
    expect(untouched).toEqual({ version: 0, tables: ['events', 'streams'], events: 7 });
  });

  it('refuses a journal written by a newer Runtree', () => {
    const db = new Database(path);
    db.pragma('user_version = 7');
    db.close();
    expect(() => openSqliteEventStore({ path })).toThrow(/the journal's schema is version 7, newer than this Runtree's \(1\)/);
  });
});
