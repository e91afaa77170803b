import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openSqliteEventStore, type EventStore } from '@runtree/event-store';
import { FaultyEventStore, SimulatedCrashError } from '../support/faulty-store.js';

const event = (type: string) => ({ id: randomUUID(), type, data: {} });

describe('FaultyEventStore', () => {
  let inner: EventStore;
  let faulty: FaultyEventStore;

  beforeEach(() => {
    inner = openSqliteEventStore({ path: ':memory:' });
    faulty = new FaultyEventStore(inner);
  });

  afterEach(async () => {
    await faulty.close();
  });

  it('delegates until the armed append, which never reaches the real store', async () => {
    faulty.failAppend({ streamPrefix: 'session-', eventType: 'SessionOpened', occurrence: 2 });
    await faulty.appendToStream('session-a', [event('SessionOpened')], { expectedRevision: 'no_stream' });
    await faulty.appendToStream('run-b', [event('SessionOpened')], { expectedRevision: 'no_stream' });
    await faulty.appendToStream('session-c', [event('SessionClosed')], { expectedRevision: 'no_stream' });
    expect(faulty.crash).toBeUndefined();

    await expect(faulty.appendToStream('session-d', [event('SessionOpened')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(faulty.crash).toBe('session-d: SessionOpened');
    expect((await inner.readAll()).map((recorded) => recorded.streamName)).toEqual(['session-a', 'run-b', 'session-c']);
  });

  it('fails every later call once it has crashed, as a dead process would', async () => {
    faulty.failAppend();
    await expect(faulty.appendToStream('run-a', [event('RunStarted')], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(faulty.readAll()).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(faulty.readStream('run-a')).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(faulty.headPosition()).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(() => faulty.subscribeToAll()).toThrow(SimulatedCrashError);
    expect(await inner.headPosition()).toBe('start');
  });
});
