/**
 * Wakes live subscriptions when a transaction commits (in-process, no polling timer).
 * A subscription notes `version` before it reads; if a commit happened since, waiting returns
 * at once, so a commit between its read and its wait is never missed.
 */
export class CommitSignal {
  private currentVersion = 0;
  private waiters = new Set<() => void>();

  get version(): number {
    return this.currentVersion;
  }

  notify(): void {
    this.currentVersion += 1;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves once a commit happened after `seenVersion`, or when `abort` fires. */
  async waitForCommitAfter(seenVersion: number, abort: AbortSignal): Promise<void> {
    if (this.currentVersion !== seenVersion || abort.aborted) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      abort.addEventListener('abort', wake, { once: true });
    });
  }
}
