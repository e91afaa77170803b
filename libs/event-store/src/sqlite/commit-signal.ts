/**
 * Wakes live subscriptions when a transaction commits (in-process, no polling timer).
 * A subscription notes `version` before it reads; if a commit happened since, waiting returns
 * at once, so a commit between its read and its wait is never missed. A subscription to one
 * stream is woken only by commits that wrote that stream, so a commit costs one wake per
 * subscriber that has something to read, not one per subscriber.
 */
export class CommitSignal {
  private currentVersion = 0;
  private logWaiters = new Set<() => void>();
  private streamWaiters = new Map<string, Set<() => void>>();

  get version(): number {
    return this.currentVersion;
  }

  /** A transaction committed, writing these streams. */
  notify(writtenStreams: Iterable<string>): void {
    this.currentVersion += 1;
    const woken = [...this.logWaiters];
    this.logWaiters = new Set();
    for (const streamName of writtenStreams) {
      const waiters = this.streamWaiters.get(streamName);
      if (waiters === undefined) continue;
      this.streamWaiters.delete(streamName);
      woken.push(...waiters);
    }
    for (const wake of woken) wake();
  }

  /**
   * Resolves once a commit happened after `seenVersion` (one that wrote `streamName`, when given),
   * or when `abort` fires.
   */
  async waitForCommitAfter(seenVersion: number, abort: AbortSignal, streamName?: string): Promise<void> {
    if (this.currentVersion !== seenVersion || abort.aborted) return;
    await new Promise<void>((resolve) => {
      const waiters = streamName === undefined ? this.logWaiters : this.waitersOf(streamName);
      const wake = () => {
        waiters.delete(wake);
        if (streamName !== undefined && waiters.size === 0 && this.streamWaiters.get(streamName) === waiters) this.streamWaiters.delete(streamName);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      waiters.add(wake);
      abort.addEventListener('abort', wake, { once: true });
    });
  }

  private waitersOf(streamName: string): Set<() => void> {
    let waiters = this.streamWaiters.get(streamName);
    if (waiters === undefined) this.streamWaiters.set(streamName, (waiters = new Set()));
    return waiters;
  }
}
