import { StoreUnavailableError } from '@runtree/event-store';

/** How the command path retries a store that failed (`StoreUnavailableError`) before answering `store_unavailable`. */
export interface StoreRetryOptions {
  /** Tries in all, the first included. Default 4. */
  readonly attempts?: number;
  /** Wait before the second try; it doubles for each later one. Default 100 ms. */
  readonly firstDelayMs?: number;
  /** The longest wait between two tries. Default 400 ms. */
  readonly maxDelayMs?: number;
  /** No try starts later than this after the first one. Default 1500 ms. */
  readonly deadlineMs?: number;
}

export type StoreRetryPolicy = Required<StoreRetryOptions>;

/** Fails fast: at most 4 tries within 1.5 s (waits 100, 200, 400 ms). */
export const DEFAULT_STORE_RETRY: StoreRetryPolicy = { attempts: 4, firstDelayMs: 100, maxDelayMs: 400, deadlineMs: 1_500 };

/** Time as the retry loop sees it; injected so tests do not wait on the wall clock. */
export interface RetryTimer {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTimer: RetryTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The policy with defaults filled in; a bad value throws naming the option and the reason. */
export function storeRetryPolicy(options: StoreRetryOptions = {}): StoreRetryPolicy {
  const policy = { ...DEFAULT_STORE_RETRY, ...options };
  const rules: [keyof StoreRetryPolicy, number][] = [
    ['attempts', 1],
    ['firstDelayMs', 0],
    ['maxDelayMs', 0],
    ['deadlineMs', 0],
  ];
  for (const [field, minimum] of rules) {
    const value = policy[field];
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`storeRetry.${field} must be an integer >= ${minimum} (got ${JSON.stringify(value)})`);
    }
  }
  return policy;
}

/** The wait before try number `attempt + 1` (attempt counts from 1): first delay, doubling, capped. */
export function retryDelayMs(policy: StoreRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
}

/**
 * Runs `call`, trying again while it fails with `StoreUnavailableError`, until the policy's tries
 * or deadline are used up; then throws a `StoreUnavailableError` saying how many tries over how long.
 * Any other error is thrown at once. Only give it calls that are safe to repeat (see StoreRetry).
 */
export async function retryWhileUnavailable<T>(call: () => Promise<T>, policy: StoreRetryPolicy, timer: RetryTimer = systemTimer): Promise<T> {
  const started = timer.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      const delay = retryDelayMs(policy, attempt);
      const elapsed = timer.now() - started;
      if (attempt >= policy.attempts || elapsed + delay > policy.deadlineMs) {
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        throw new StoreUnavailableError(`gave up after ${tries} over ${Math.round(elapsed)} ms: ${error.message}`, { cause: error });
      }
      await timer.sleep(delay);
    }
  }
}

/**
 * The command path's retry of transient store failures. It retries store READS and APPENDS whose
 * event ids derive from the command id: if a failed append did reach the store, the retry carries
 * the same ids at the same expected revision, which every adapter answers as an idempotent success
 * (libs/event-store README), so nothing is written twice. Appends with random ids must not use it.
 *
 * For `deadlineMs` after a call used up its tries (or until a call succeeds), later calls try only
 * once: commands queued behind a stream's lock during an outage then fail at once instead of each
 * waiting out the policy, and once the store is back commands get their full retries again.
 */
export class StoreRetry {
  private gaveUpAt: number | undefined;

  constructor(
    private readonly policy: StoreRetryPolicy = DEFAULT_STORE_RETRY,
    private readonly timer: RetryTimer = systemTimer,
  ) {}

  /** True for `deadlineMs` after a call gave up, unless a call succeeded since. */
  get isStoreDown(): boolean {
    return this.gaveUpAt !== undefined && this.timer.now() - this.gaveUpAt < this.policy.deadlineMs;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const policy = this.isStoreDown ? { ...this.policy, attempts: 1 } : this.policy;
    try {
      const result = await retryWhileUnavailable(call, policy, this.timer);
      this.gaveUpAt = undefined;
      return result;
    } catch (error) {
      if (error instanceof StoreUnavailableError) this.gaveUpAt = this.timer.now();
      throw error;
    }
  }
}
