import { StoreUnavailableError, type EventStoreError } from '../port/errors.js';

/**
 * How long a failed commit keeps the store reported unavailable while nothing has committed since.
 * The writability probe never commits, so it cannot see a failure that only COMMIT meets (fsync
 * EIO, the WAL's write); only a later commit shows it cleared, and with no traffic none comes, so
 * the report must expire by itself. Long enough for a load balancer to act on, short enough that
 * an idle instance returns to service soon after the fault clears.
 */
export const COMMIT_FAILURE_REPORTED_FOR_MS = 30_000;

/** The last group-commit batch whose COMMIT failed, until a batch commits or the report expires. */
export class LastCommitFailure {
  private last: { readonly atMs: number; readonly error: EventStoreError } | undefined;

  constructor(private readonly now: () => number) {}

  record(error: EventStoreError): void {
    this.last = { atMs: this.now(), error };
  }

  clear(): void {
    this.last = undefined;
  }

  /** Throws `StoreUnavailableError` saying when and why the last commit failed, while that is still reported. */
  assertNoneReported(): void {
    if (this.last === undefined) return;
    const ago = this.now() - this.last.atMs;
    // A clock set back must not stretch the bound either.
    if (ago < 0 || ago >= COMMIT_FAILURE_REPORTED_FOR_MS) {
      this.last = undefined;
      return;
    }
    throw new StoreUnavailableError(`The last commit failed ${ago} ms ago: ${this.last.error.message}`, { cause: this.last.error });
  }
}
