import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WalCheckpointer } from './wal-checkpointer.js';

const MIB = 1024 * 1024;

describe('WalCheckpointer', () => {
  let directory: string;
  let db: Database.Database;
  let checkpointer: WalCheckpointer;
  let commitRows: (rows: number) => void;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'runtree-wal-'));
    const path = join(directory, 'read.sqlite');
    // As the read store opens its file: WAL, NORMAL, no checkpoint inside commits, the WAL cut back after a restart.
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${4 * MIB}`);
    db.exec('CREATE TABLE rows (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (key, value) VALUES (?, ?)');
    commitRows = db.transaction((rows: number) => {
      for (let row = 0; row < rows; row++) insert.run(randomUUID(), 'x'.repeat(200));
    });
    // 256 frames: 1 MiB of WAL.
    checkpointer = new WalCheckpointer(path, { walLimitFrames: 256, maxDrainMs: 100 });
  });

  afterEach(async () => {
    await checkpointer.close();
    db.close();
    await rm(directory, { recursive: true, force: true });
  });

  /** Commits as the read store does (waiting when told), yielding between commits as a projection does; the largest WAL seen. */
  async function commitSteadily(commits: number): Promise<number> {
    let largestWal = 0;
    for (let commit = 0; commit < commits; commit++) {
      await checkpointer.beforeCommit();
      commitRows(20);
      checkpointer.committed();
      await new Promise(setImmediate);
      largestWal = Math.max(largestWal, statSync(`${db.name}-wal`).size);
    }
    return largestWal;
  }

  it('keeps the WAL of steady commits bounded, where a checkpoint that never catches up let it grow with every commit', async () => {
    // These commits write about 330 MiB of WAL: without a whole checkpoint now and then, all of it stays in the file.
    const largestWal = await commitSteadily(3000);

    expect(largestWal).toBeLessThan(96 * MIB);
    expect(db.prepare('SELECT count(*) AS rows FROM rows').get()).toEqual({ rows: 60_000 });
  });

  it('lets commits go on when a reader on an old snapshot keeps the WAL from being wholly checkpointed', async () => {
    const reader = new Database(db.name);
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM rows').get();
      const started = performance.now();

      await commitSteadily(1500);

      // A drain that cannot finish waits its 100 ms, and the next waits for the WAL to double: 9 or so, not one per commit.
      expect(performance.now() - started).toBeLessThan(5000);
      expect(db.prepare('SELECT count(*) AS rows FROM rows').get()).toEqual({ rows: 30_000 });
    } finally {
      reader.close();
    }
  }, 20_000);
});
