import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, run as a script: a connection of its own that checkpoints the WAL into the
 * database file when told. A checkpoint fsyncs twice; in the worker that wait blocks nobody.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or failing: the next request tries again */ }
});
`;

/** Commits between two checkpoint requests: about 2,000 WAL pages at the projection's usual sizes. */
const COMMITS_PER_CHECKPOINT = 100;

/**
 * Checkpoints a SQLite file's WAL in a worker thread, so the fsyncs of a checkpoint never block the
 * event loop (SQLite's automatic checkpoint runs inside a COMMIT; the owner turns it off). Told after
 * every commit, it asks the worker every `COMMITS_PER_CHECKPOINT` commits.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private commits = 0;

  constructor(path: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, driver } });
    // A checkpointer that fails leaves a longer WAL, never a wrong database: nothing to report to callers.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  committed(): void {
    if (++this.commits % COMMITS_PER_CHECKPOINT === 0) this.worker.postMessage('checkpoint');
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000);
      this.worker.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }
}
