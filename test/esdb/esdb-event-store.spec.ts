import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { comparePositions, openEsdbEventStore, StoreUnavailableError, type EventStore, type SubscriptionMessage } from '@runtree/event-store';
import { runEventStoreConformance } from '@runtree/event-store/testing';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/index.js';

for (const batchAppend of [true, false]) {
  runEventStoreConformance(`esdb on the protocol double (${batchAppend ? 'Streams/BatchAppend' : 'Streams/Append'})`, async () => {
    const double = await startEsdbDouble({ batchAppend });
    const store = openEsdbEventStore({ connectionString: double.connectionString });
    return {
      store,
      async dispose() {
        await store.close();
        await double.stop();
      },
    };
  });
}

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (realServer) {
  runEventStoreConformance('esdb on EVENTSTORE_CONNECTION_STRING', async () => {
    const store = openEsdbEventStore({ connectionString: realServer });
    return { store, dispose: () => store.close() };
  });
}

const anEvent = () => ({ id: crypto.randomUUID(), type: 'Pinged', data: { at: Date.now() } });

async function firstFailure(attempt: () => Promise<unknown>): Promise<unknown> {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('esdb adapter without a server', () => {
  let store: EventStore;

  beforeAll(async () => {
    store = openEsdbEventStore({ connectionString: `esdb://127.0.0.1:${await closedPort()}?tls=false` });
  });
  afterAll(() => store.close());

  it('fails an append with StoreUnavailableError, not the raw gRPC error', async () => {
    const error = await firstFailure(() => store.appendToStream('nowhere-1', [anEvent()], { expectedRevision: 'any' }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('fails reads and the head with StoreUnavailableError', async () => {
    expect(await firstFailure(() => store.readStream('nowhere-1'))).toBeInstanceOf(StoreUnavailableError);
    expect(await firstFailure(() => store.readAll())).toBeInstanceOf(StoreUnavailableError);
    expect(await firstFailure(() => store.headPosition())).toBeInstanceOf(StoreUnavailableError);
  });

  it('ends a subscription iteration with StoreUnavailableError', async () => {
    const subscription = store.subscribeToAll();
    const error = await firstFailure(async () => {
      for await (const _message of subscription) {
        // nothing can arrive
      }
    });
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });
});

for (const batchAppend of [true, false]) {
  describe(`esdb adapter while the server is suspended (batchAppend: ${batchAppend})`, () => {
    let double: EsdbDouble;
    let store: EventStore;

    beforeAll(async () => {
      double = await startEsdbDouble({ batchAppend });
      store = openEsdbEventStore({ connectionString: double.connectionString });
    });
    afterAll(async () => {
      await store.close();
      await double.stop();
    });

    it('fails with StoreUnavailableError and works again after resume', async () => {
      await store.appendToStream('suspended-1', [anEvent()], { expectedRevision: 'no_stream' });

      await double.suspend();
      expect(await firstFailure(() => store.appendToStream('suspended-1', [anEvent()], { expectedRevision: 0n }))).toBeInstanceOf(
        StoreUnavailableError,
      );
      expect(await firstFailure(() => store.readStream('suspended-1'))).toBeInstanceOf(StoreUnavailableError);

      await double.resume();
      await expect(store.appendToStream('suspended-1', [anEvent()], { expectedRevision: 0n })).resolves.toMatchObject({
        nextExpectedRevision: 1n,
      });
      expect(await store.readStream('suspended-1')).toHaveLength(2);
    });

    it('ends a live subscription with StoreUnavailableError when the server goes away', async () => {
      const subscription = store.subscribeToStream('suspended-2');
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual({ type: 'caught_up' });

      await double.suspend();
      try {
        expect(await firstFailure(() => iterator.next())).toBeInstanceOf(StoreUnavailableError);
      } finally {
        await double.resume();
      }
    });
  });
}

describe('esdb adapter append paths', () => {
  for (const batchAppend of [true, false]) {
    const path = batchAppend ? 'batchAppend' : 'append';
    it(`appends through Streams/${batchAppend ? 'BatchAppend' : 'Append'} when the server ${batchAppend ? 'advertises' : 'lacks'} batch append`, async () => {
      const double = await startEsdbDouble({ batchAppend });
      const store = openEsdbEventStore({ connectionString: double.connectionString });
      try {
        await store.appendToStream('path-1', [anEvent()], { expectedRevision: 'no_stream' });
        expect(double.calls[path]).toBe(1);
        expect(double.calls[batchAppend ? 'append' : 'batchAppend']).toBe(0);
      } finally {
        await store.close();
        await double.stop();
      }
    });
  }
});

describe('esdb adapter close()', () => {
  it('ends open subscriptions without an error and refuses later calls', async () => {
    const double = await startEsdbDouble();
    const store = openEsdbEventStore({ connectionString: double.connectionString });
    try {
      const iterator = store.subscribeToStream('closing-1')[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual({ type: 'caught_up' });
      const waiting = iterator.next();
      await store.close();
      await expect(waiting).resolves.toEqual({ done: true, value: undefined });
      expect(await firstFailure(() => store.readStream('closing-1'))).toBeInstanceOf(StoreUnavailableError);
    } finally {
      await double.stop();
    }
  });
});

describe('esdb adapter subscriptions under a slow consumer', () => {
  let double: EsdbDouble;
  let store: EventStore;

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = openEsdbEventStore({ connectionString: double.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });

  // Far more messages than the client's stream buffers, so markers arrive while events still wait
  // in that buffer: each checkpoint and the caught_up must still come after the events before them.
  it('keeps checkpoints and caught_up in log order while the consumer lags', async () => {
    for (let batch = 0; batch < 20; batch++) {
      await store.appendToStream(`lag-noise-${batch}`, Array.from({ length: 20 }, anEvent), { expectedRevision: 'any' });
      await store.appendToStream(`lag-wanted-${batch}`, [anEvent()], { expectedRevision: 'any' });
    }
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: ['lag-wanted-'] }, checkpointInterval: 8 });

    const received: SubscriptionMessage[] = [];
    for await (const message of subscription) {
      received.push(message);
      await new Promise((resolve) => setTimeout(resolve, 1)); // a consumer slower than the server
      if (message.type === 'caught_up') break;
    }

    const events = received.flatMap((message) => (message.type === 'event' ? [message.event] : []));
    expect(events.map((event) => event.streamName)).toEqual(Array.from({ length: 20 }, (_, batch) => `lag-wanted-${batch}`));
    expect(received.filter((message) => message.type === 'checkpoint').length).toBeGreaterThanOrEqual(Math.floor((20 * 21) / 8));
    let lastPosition: { commit: bigint; prepare: bigint } | undefined;
    for (const message of received) {
      const position = message.type === 'event' ? message.event.position : message.type === 'checkpoint' ? message.position : undefined;
      if (!position) continue;
      if (lastPosition) expect(comparePositions(position, lastPosition)).toBeGreaterThanOrEqual(0);
      lastPosition = position;
    }
  });
});
