// The bus publisher keeps its checkpoint in the event store. When the store (the EventStoreDB
// double) is stopped and started again, publication resumes from that checkpoint on its own.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { comparePositions, type EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, PublisherCheckpoint, type JournalEntry } from '@runtree/orchestration';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { delay } from '../../support/orchestrator-expect.js';
import {
  brokersAvailable,
  busConfig,
  deleteRabbitmqResources,
  natsEventListener,
  rabbitmqEventListener,
  startBusApp,
  uniquePrefix,
  type EventListener,
} from '../bus/bus-harness.js';
import { eventually } from '../ops/ops-app.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;
const RUNTREE_STREAMS = { streamNamePrefixes: ['run-', 'session-', 'thread-'] };
const idsOf = (received: readonly JournalEntry[]) => received.map((event) => event.eventId);

describeWithBrokers('event publication across a store outage [EventStoreDB double stopped and started]', () => {
  const prefix = uniquePrefix();
  let double: EsdbDouble;
  let app: INestApplication;
  let onNats: EventListener;
  let onRabbitmq: EventListener;

  beforeAll(async () => {
    double = await startEsdbDouble();
    onNats = await natsEventListener(`${prefix}.events.>`);
    onRabbitmq = await rabbitmqEventListener(prefix, `${prefix}.events.#`);
    app = await startBusApp(busConfig(prefix), { kind: 'esdb', connectionString: double.connectionString });
  }, 30_000);

  afterAll(async () => {
    await double?.start();
    await app?.close();
    await Promise.all([onNats?.close(), onRabbitmq?.close()]);
    await deleteRabbitmqResources(prefix);
    await double?.stop();
  });

  it('resumes from its checkpoint once the store is back: every event published, none repeated', async () => {
    const orchestrator = app.get(Orchestrator);
    const store = app.get<EventStore>(EVENT_STORE);
    const checkpoint = new PublisherCheckpoint(store, busNames(prefix).publisherCheckpointStream);
    const before = await orchestrator.startRun({ kind: 'before-the-outage' });
    await orchestrator.completeRun(before.runId, 'done');
    const published = await store.readAll({ filter: RUNTREE_STREAMS });
    // The checkpoint covers everything published, so a resumption from it repeats nothing.
    await eventually(async () => {
      const saved = await checkpoint.load();
      expect(saved !== 'start' && comparePositions(saved, published.at(-1)!.position) >= 0).toBe(true);
    });

    await double.stop();
    await delay(1_000); // the publisher's subscription and its periodic save fail meanwhile
    await double.start();

    await eventually(() => orchestrator.ensureReady(), 30_000);
    const after = await orchestrator.startRun({ kind: 'after-the-outage' });
    await orchestrator.completeRun(after.runId, 'done');
    const all = (await store.readAll({ filter: RUNTREE_STREAMS })).map((event) => event.id);
    await onNats.until((received) => received.length >= all.length, 30_000);
    await onRabbitmq.until((received) => received.length >= all.length, 30_000);
    await delay(300); // time for a repeat, were there one, to show

    expect(idsOf(onNats.received)).toEqual(all);
    expect(idsOf(onRabbitmq.received)).toEqual(all);
  }, 90_000);
});
