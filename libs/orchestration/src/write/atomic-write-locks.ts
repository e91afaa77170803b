import type { KeyedLock } from './keyed-lock.js';

/** A stream another write of this process holds, asked for while this attempt already held a lock. */
export class StreamLockTaken extends Error {
  constructor(readonly streamName: string) {
    super(`${streamName} is locked by another write of this process`);
  }
}

/**
 * The stream locks one attempt of an atomic write holds, taken one after the other. The rule that
 * keeps two writes from each waiting for a lock the other holds: an attempt waits for a lock only
 * while it holds none, or for the streams it takes first in name order; any other lock it takes only
 * when free, or it throws `StreamLockTaken`. The next attempt then takes every stream this one asked
 * for first, in name order. Waiting while holding happens in name order only, so no cycle can form.
 */
export class AtomicWriteLocks {
  private readonly held = new Map<string, () => void>();
  /** Every stream asked for, the one that was taken included: what the next attempt takes first. */
  readonly asked = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private open = true;

  constructor(private readonly locks: KeyedLock) {}

  /** Takes these streams in name order, waiting for each: before the attempt decides anything. */
  async takeFirst(streamNames: Iterable<string>): Promise<void> {
    for (const streamName of [...new Set(streamNames)].sort()) {
      this.asked.add(streamName);
      this.hold(streamName, await this.locks.acquire(streamName));
    }
  }

  /** The stream's lock, after the locks asked for before it: waited for while none is held, taken if free otherwise. */
  take(streamName: string): Promise<void> {
    const taken = this.queue.then(() => this.takeNow(streamName));
    this.queue = taken.catch(() => undefined);
    return taken;
  }

  /** Lets go of every lock, and of any granted later; takes no more. */
  releaseAll(): void {
    this.open = false;
    for (const release of this.held.values()) release();
    this.held.clear();
  }

  private async takeNow(streamName: string): Promise<void> {
    if (!this.open) throw new Error(`The atomic write is over: ${streamName} cannot join it`);
    this.asked.add(streamName);
    if (this.held.has(streamName)) return;
    if (this.held.size === 0) return this.hold(streamName, await this.locks.acquire(streamName));
    const release = this.locks.tryAcquire(streamName);
    if (release === undefined) throw new StreamLockTaken(streamName);
    return this.hold(streamName, release);
  }

  private hold(streamName: string, release: () => void): void {
    if (!this.open) {
      release();
      throw new Error(`The atomic write is over: ${streamName} cannot join it`);
    }
    this.held.set(streamName, release);
  }
}
