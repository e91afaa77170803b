import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, run as a script: a connection of its own that checkpoints the WAL into the
 * database file when told, and answers with the WAL's frames and how many are now in the file.
 * A checkpoint fsyncs twice; in the worker that wait blocks nobody.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return; }
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log, checkpointed });
  } catch {
    parentPort.postMessage({ failed: true });
  }
});
`;

/** What one checkpoint found: the WAL's frames, and how many of them are now in the database file. */
type CheckpointResult = { readonly log: number; readonly checkpointed: number } | { readonly failed: true };

/** Commits between two checkpoint requests, unless CHECKPOINT_INTERVAL_MS passes first. */
const COMMITS_PER_CHECKPOINT = 100;
/** A few large commits (a rebuild's) are checkpointed this often, not only every 100 commits. */
const CHECKPOINT_INTERVAL_MS = 100;
/**
 * 65,536 frames of 4 KiB pages: 256 MiB of WAL before commits wait for a whole checkpoint. Measured
 * on a 1M-event rebuild and on spawns with 64 callers: as fast as an unbounded WAL (16,384 was
 * slower, the commits waiting more often).
 */
const DEFAULT_WAL_LIMIT_FRAMES = 65_536;
/** A drain that cannot finish (a reader on an old snapshot) lets commits go after this long. */
const DEFAULT_MAX_DRAIN_MS = 2000;

export interface WalCheckpointerOptions {
  /** WAL frames past which the next commit waits until the WAL is wholly checkpointed. */
  readonly walLimitFrames?: number;
  /** How long commits wait at most for a drain that cannot finish. */
  readonly maxDrainMs?: number;
}

/**
 * Checkpoints a SQLite file's WAL in a worker thread, so the fsyncs of a checkpoint never block the
 * event loop (SQLite's automatic checkpoint runs inside a COMMIT; the owner turns it off).
 *
 * A checkpoint that runs while commits keep coming never catches up with them, and SQLite only
 * starts the WAL over at a write that finds it wholly checkpointed: under steady load the WAL grew
 * without end (5 GB beside a 540 MB database in a rebuild, every page lookup slower). So once a
 * checkpoint reports more frames than the limit, commits wait (`beforeCommit`) for one checkpoint
 * with nothing written meanwhile, and the next commit starts the WAL over.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly walLimitFrames: number;
  private readonly maxDrainMs: number;
  /** Frames past which a drain starts: the limit, or further once a drain could not finish. */
  private drainAbove: number;
  private commits = 0;
  private requestedAt = Number.NEGATIVE_INFINITY;
  private inFlight = false;
  private drain: { readonly done: Promise<void>; readonly finish: () => void; readonly until: number } | undefined;

  constructor(path: string, options: WalCheckpointerOptions = {}) {
    this.walLimitFrames = options.walLimitFrames ?? DEFAULT_WAL_LIMIT_FRAMES;
    this.drainAbove = this.walLimitFrames;
    this.maxDrainMs = options.maxDrainMs ?? DEFAULT_MAX_DRAIN_MS;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, driver } });
    this.worker.on('message', (result: CheckpointResult) => this.checkpointed(result));
    // A checkpointer that fails leaves a longer WAL, never a wrong database: nothing to report to callers.
    this.worker.on('error', () => this.endDrain());
    this.worker.on('exit', () => this.endDrain());
    this.worker.unref();
  }

  /** Resolves when the next commit may be written: at once, unless the WAL is being drained. */
  beforeCommit(): Promise<void> | undefined {
    return this.drain?.done;
  }

  committed(): void {
    this.commits += 1;
    if (this.inFlight || this.drain !== undefined) return;
    if (this.commits >= COMMITS_PER_CHECKPOINT || performance.now() - this.requestedAt >= CHECKPOINT_INTERVAL_MS) this.request();
  }

  async close(): Promise<void> {
    this.endDrain();
    this.worker.postMessage('close');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate().then(() => resolve()), 2000);
      this.worker.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }

  private request(): void {
    this.commits = 0;
    this.requestedAt = performance.now();
    this.inFlight = true;
    this.worker.postMessage('checkpoint');
  }

  private checkpointed(result: CheckpointResult): void {
    this.inFlight = false;
    if ('failed' in result) return this.endDrain();
    if (result.log < this.walLimitFrames) this.drainAbove = this.walLimitFrames;
    // Whole as of its start: commits written while it ran are not in it.
    const whole = result.checkpointed === result.log && this.commits === 0;
    if (this.drain === undefined) {
      if (whole || result.log < this.drainAbove) return;
      this.startDrain();
    } else if (whole) {
      return this.endDrain();
    } else if (performance.now() >= this.drain.until) {
      // Something holds the WAL (an old snapshot): let commits go until the WAL has doubled.
      this.drainAbove = 2 * result.log;
      return this.endDrain();
    }
    // Nothing is committed while draining: this checkpoint can take every frame.
    this.request();
  }

  private startDrain(): void {
    let finish = () => undefined as void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.drain = { done, finish, until: performance.now() + this.maxDrainMs };
    // A commit waits on the worker now: it must keep the process alive until it answers.
    this.worker.ref();
  }

  private endDrain(): void {
    if (this.drain === undefined) return;
    this.drain.finish();
    this.drain = undefined;
    this.worker.unref();
  }
}
