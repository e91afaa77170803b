import { describe, expect, it } from '@jest/globals';
import { deferred } from '../../../../test/support/deferred.js';
import { KeyedLock } from './keyed-lock.js';

/** Lets every already-queued continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in the order it was queued', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, index) =>
      lock.run('stream-a', async () => {
        log.push(`start ${index}`);
        await gate.promise;
        log.push(`end ${index}`);
        return index;
      }),
    );
    await settle();
    expect(log).toEqual(['start 0']);
    gates[2]!.resolve();
    gates[1]!.resolve();
    await settle();
    expect(log).toEqual(['start 0']);
    gates[0]!.resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('does not make work on another key wait', async () => {
    const lock = new KeyedLock();
    const blocker = deferred();
    const blocked = lock.run('stream-a', () => blocker.promise);
    await expect(lock.run('stream-b', () => Promise.resolve('b done'))).resolves.toBe('b done');
    blocker.resolve();
    await blocked;
  });

  it('hands a failure to its own caller and still runs the next work on the key', async () => {
    const lock = new KeyedLock();
    const failing = deferred<string>();
    const first = lock.run('stream-a', () => failing.promise);
    const second = lock.run('stream-a', () => Promise.resolve('second ran'));
    failing.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('second ran');
  });

  it('runs later work on a key whose earlier work threw synchronously', async () => {
    const lock = new KeyedLock();
    const throwing = lock.run('stream-a', () => {
      throw new Error('sync boom');
    });
    await expect(throwing).rejects.toThrow('sync boom');
    await expect(lock.run('stream-a', () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('holds an acquired key until it is released, queueing other work behind it', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const release = await lock.acquire('stream-a');
    const queued = lock.run('stream-a', async () => {
      log.push('queued work ran');
    });
    await settle();
    expect(log).toEqual([]);
    release();
    await queued;
    expect(log).toEqual(['queued work ran']);
  });

  it('takes a key nobody holds or waits for at once, and refuses one that is held or waited for without waiting', async () => {
    const lock = new KeyedLock();
    const release = lock.tryAcquire('stream-a');
    expect(release).toBeDefined();
    expect(lock.tryAcquire('stream-a')).toBeUndefined();
    const waiting = lock.acquire('stream-a');
    release!();
    const releaseWaiter = await waiting;
    expect(lock.tryAcquire('stream-a')).toBeUndefined();
    releaseWaiter();
    expect(lock.tryAcquire('stream-a')).toBeDefined();
  });

  it('lets a release be called twice without letting in a third holder early', async () => {
    const lock = new KeyedLock();
    const first = await lock.acquire('stream-a');
    const second = lock.acquire('stream-a');
    const log: string[] = [];
    const third = lock.run('stream-a', async () => {
      log.push('third ran');
    });
    first();
    const releaseSecond = await second;
    first();
    await settle();
    expect(log).toEqual([]);
    releaseSecond();
    await third;
    expect(log).toEqual(['third ran']);
  });
});
