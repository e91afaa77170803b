import { describe, expect, it } from '@jest/globals';
import { CommitSignal } from './commit-signal.js';

/** Whether `promise` has settled once pending callbacks have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('CommitSignal', () => {
  const never = new AbortController().signal;

  it('wakes a stream waiter on a commit that wrote its stream, not on one that wrote others', async () => {
    const signal = new CommitSignal();
    const waiting = signal.waitForCommitAfter(signal.version, never, 'run-a');
    signal.notify(['run-b']);
    expect(await settled(waiting)).toBe(false);
    signal.notify(['run-b', 'run-a']);
    expect(await settled(waiting)).toBe(true);
  });

  it('wakes a whole-log waiter on any commit', async () => {
    const signal = new CommitSignal();
    const waiting = signal.waitForCommitAfter(signal.version, never);
    signal.notify(['run-b']);
    expect(await settled(waiting)).toBe(true);
  });

  it('returns at once when a commit happened after the version seen, whatever it wrote', async () => {
    const signal = new CommitSignal();
    const seen = signal.version;
    signal.notify(['run-b']);
    expect(await settled(signal.waitForCommitAfter(seen, never, 'run-a'))).toBe(true);
  });

  it('wakes on abort', async () => {
    const signal = new CommitSignal();
    const abort = new AbortController();
    const waiting = signal.waitForCommitAfter(signal.version, abort.signal, 'run-a');
    abort.abort();
    expect(await settled(waiting)).toBe(true);
  });
});
