import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openEsdbEventStore, subscribeToStreamResuming, type EventStore, type StoreUnavailableError } from '@runtree/event-store';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { eventually } from '../ops/ops-app.js';

/** Fixed ids, so an append retried after an outage is idempotent. */
const eventIds = Array.from({ length: 10 }, () => randomUUID());
const anEvent = (n: number) => ({ id: eventIds[n], type: 'Counted', data: { n } });

describe('subscribeToStreamResuming [EventStoreDB protocol double stopped and started]', () => {
  let double: EsdbDouble;
  let store: EventStore;

  beforeAll(async () => {
    double = await startEsdbDouble();
    store = openEsdbEventStore({ connectionString: double.connectionString });
  });

  afterAll(async () => {
    await store?.close();
    await double?.stop();
  });

  it('delivers every event once, in revision order, across two outages', async () => {
    const stream = `counted-${randomUUID()}`;
    await store.appendToStream(stream, [anEvent(0), anEvent(1)], { expectedRevision: 'no_stream' });
    const failures: StoreUnavailableError[] = [];
    const subscription = subscribeToStreamResuming(store, stream, { firstDelayMs: 20, maxDelayMs: 200, onStoreFailure: (error) => failures.push(error) });
    const received: bigint[] = [];
    const consuming = (async () => {
      for await (const message of subscription) if (message.type === 'event') received.push(message.event.revision);
    })();
    let next = 2;
    const appendOne = async () => {
      await store.appendToStream(stream, [anEvent(next)], { expectedRevision: BigInt(next - 1) });
      next++;
    };

    try {
      await eventually(async () => expect(received).toEqual([0n, 1n]));
      for (let outage = 0; outage < 2; outage++) {
        await double.stop();
        await eventually(async () => expect(failures.length).toBeGreaterThan(outage));
        await double.start();
        await eventually(appendOne); // the client reconnects on its own
        await appendOne();
      }
      await eventually(async () => expect(received).toEqual([0n, 1n, 2n, 3n, 4n, 5n]));
    } finally {
      await subscription.stop();
      await consuming;
    }
    expect(failures.length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
