import { describe, expect, it } from '@jest/globals';
import { StoreUnavailableError, WrongExpectedRevisionError } from '@runtree/event-store';
import { DEFAULT_STORE_RETRY, retryWhileUnavailable, StoreRetry, storeRetryPolicy, type RetryTimer } from './store-retry.js';

/** A clock that only moves when the retry loop sleeps, or when a call takes `callMs`. */
class FakeTimer implements RetryTimer {
  time = 0;
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

/** A store call that fails with StoreUnavailableError `failures` times (each taking `callMs`), then answers. */
function flakyCall(timer: FakeTimer, failures: number, callMs = 0) {
  const call = async (): Promise<string> => {
    call.calls++;
    timer.time += callMs;
    if (call.calls <= failures) throw new StoreUnavailableError(`EventStoreDB unreachable (call ${call.calls})`);
    return 'appended';
  };
  call.calls = 0;
  return call;
}

describe('retryWhileUnavailable', () => {
  it('answers as soon as a try succeeds, waiting a doubling delay between tries', async () => {
    const timer = new FakeTimer();
    const call = flakyCall(timer, 3);

    await expect(retryWhileUnavailable(call, storeRetryPolicy({ attempts: 5, firstDelayMs: 10, maxDelayMs: 1_000, deadlineMs: 10_000 }), timer)).resolves.toBe(
      'appended',
    );
    expect(call.calls).toBe(4);
    expect(timer.sleeps).toEqual([10, 20, 40]);
  });

  it('caps the delay at maxDelayMs', async () => {
    const timer = new FakeTimer();
    const call = flakyCall(timer, 5);

    await retryWhileUnavailable(call, storeRetryPolicy({ attempts: 6, firstDelayMs: 100, maxDelayMs: 250, deadlineMs: 10_000 }), timer);
    expect(timer.sleeps).toEqual([100, 200, 250, 250, 250]);
  });

  it('gives up after the last attempt with store_unavailable saying how many attempts over how long', async () => {
    const timer = new FakeTimer();
    const call = flakyCall(timer, Infinity);

    const failure = retryWhileUnavailable(call, DEFAULT_STORE_RETRY, timer);
    await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(failure).rejects.toThrow('gave up after 4 attempts over 700 ms: EventStoreDB unreachable (call 4)');
    expect(call.calls).toBe(4);
    expect(timer.sleeps).toEqual([100, 200, 400]);
  });

  it('starts no try that would begin after the deadline, counting the time the calls took', async () => {
    const timer = new FakeTimer();
    const call = flakyCall(timer, Infinity, 300);

    // Tries at 0 (ends 300), 400 (ends 700), 900 (ends 1200); the next would start at 1600 > 1500.
    await expect(retryWhileUnavailable(call, storeRetryPolicy({ attempts: 10, firstDelayMs: 100, maxDelayMs: 400, deadlineMs: 1_500 }), timer)).rejects.toThrow(
      'gave up after 3 attempts over 1200 ms',
    );
    expect(call.calls).toBe(3);
    expect(timer.now()).toBeLessThanOrEqual(1_500);
  });

  it('does not retry other errors', async () => {
    const timer = new FakeTimer();
    let calls = 0;
    const conflict = async () => {
      calls++;
      throw new WrongExpectedRevisionError('run-1', 0n, 1n);
    };

    await expect(retryWhileUnavailable(conflict, DEFAULT_STORE_RETRY, timer)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(calls).toBe(1);
    expect(timer.sleeps).toEqual([]);
  });
});

describe('storeRetryPolicy', () => {
  it('fills in the defaults', () => {
    expect(storeRetryPolicy()).toEqual({ attempts: 4, firstDelayMs: 100, maxDelayMs: 400, deadlineMs: 1_500 });
    expect(storeRetryPolicy({ attempts: 1 })).toEqual({ ...DEFAULT_STORE_RETRY, attempts: 1 });
  });

  it.each([
    [{ attempts: 0 }, 'storeRetry.attempts must be an integer >= 1 (got 0)'],
    [{ firstDelayMs: -1 }, 'storeRetry.firstDelayMs must be an integer >= 0 (got -1)'],
    [{ maxDelayMs: 1.5 }, 'storeRetry.maxDelayMs must be an integer >= 0 (got 1.5)'],
    [{ deadlineMs: '1s' as unknown as number }, 'storeRetry.deadlineMs must be an integer >= 0 (got "1s")'],
  ])('refuses %j naming the option', (options, message) => {
    expect(() => storeRetryPolicy(options)).toThrow(message);
  });
});

describe('StoreRetry', () => {
  it('after a call gave up, tries later calls once until one succeeds, then retries fully again', async () => {
    const timer = new FakeTimer();
    const retry = new StoreRetry(DEFAULT_STORE_RETRY, timer);

    await expect(retry.run(flakyCall(timer, Infinity))).rejects.toThrow('gave up after 4 attempts');
    expect(retry.isStoreDown).toBe(true);

    const queued = flakyCall(timer, Infinity);
    await expect(retry.run(queued)).rejects.toThrow('gave up after 1 attempt over 0 ms');
    expect(queued.calls).toBe(1);

    await expect(retry.run(flakyCall(timer, 0))).resolves.toBe('appended');
    expect(retry.isStoreDown).toBe(false);

    const flaky = flakyCall(timer, 2);
    await expect(retry.run(flaky)).resolves.toBe('appended');
    expect(flaky.calls).toBe(3);
  });

  it('gives calls their full retries again once deadlineMs has passed since the last call gave up', async () => {
    const timer = new FakeTimer();
    const retry = new StoreRetry(DEFAULT_STORE_RETRY, timer);
    await expect(retry.run(flakyCall(timer, Infinity))).rejects.toThrow('gave up after 4 attempts');

    timer.time += DEFAULT_STORE_RETRY.deadlineMs - 1;
    expect(retry.isStoreDown).toBe(true);
    timer.time += 1;
    expect(retry.isStoreDown).toBe(false);
    const recovering = flakyCall(timer, 1);
    await expect(retry.run(recovering)).resolves.toBe('appended');
    expect(recovering.calls).toBe(2);
  });
});
