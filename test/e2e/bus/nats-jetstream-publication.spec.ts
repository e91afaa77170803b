import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { comparePositions, type EventStore, type RecordedEvent } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, PublisherCheckpoint, type JournalEntry } from '@runtree/orchestration';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import { createJetStream, deleteJetStream, readJetStream } from '../../support/jetstream.js';
import { eventually } from '../ops/ops-app.js';
import { brokersAvailable, busConfig, natsUrl, startBusApp, uniquePrefix } from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

/** A publisher in JetStream mode on NATS alone, with its own prefix (so its own subjects and checkpoint). */
function jetStreamApp(prefix: string): Promise<INestApplication> {
  return startBusApp({ ...busConfig(prefix, ':memory:', { nats: true }), natsJetStream: true });
}

/** A few runs' worth of events in the journal. */
async function writeSomeEvents(orchestrator: Orchestrator, label: string): Promise<void> {
  const parent = await orchestrator.startRun({ kind: label });
  const child = await orchestrator.delegate(parent.runId, { question: label });
  await orchestrator.completeRun(child.runId, 'answered');
  await orchestrator.completeRun(parent.runId, 'done');
}

function runtreeEvents(store: EventStore): Promise<RecordedEvent[]> {
  return store.readAll({ filter: { streamNamePrefixes: ['run-', 'session-', 'thread-'] } });
}

/** Whether the publisher's saved checkpoint is at or after `event`. */
async function checkpointPassed(store: EventStore, prefix: string, event: RecordedEvent): Promise<boolean> {
  const saved = await new PublisherCheckpoint(store, busNames(prefix).publisherCheckpointStream).load();
  return saved !== 'start' && comparePositions(saved, event.position) >= 0;
}

describeWithBrokers('event publication through JetStream (RUNTREE_NATS_JETSTREAM=true)', () => {
  let observer: NatsConnection;
  const streams: string[] = [];

  beforeAll(async () => {
    observer = await connect({ servers: [natsUrl] });
  });

  afterAll(async () => {
    for (const stream of streams) await deleteJetStream(observer, stream);
    await observer?.close();
  });

  async function createEventsStream(prefix: string): Promise<string> {
    const stream = `EVENTS_${prefix}`;
    await createJetStream(observer, stream, [busNames(prefix).eventSubject('>')]);
    streams.push(stream);
    return stream;
  }

  it('stores every event once, in log order, and the checkpoint advances past them', async () => {
    const prefix = uniquePrefix();
    const stream = await createEventsStream(prefix);
    const app = await jetStreamApp(prefix);
    try {
      const store = app.get<EventStore>(EVENT_STORE);
      await writeSomeEvents(app.get(Orchestrator), 'stored');
      const log = await runtreeEvents(store);

      await eventually(async () => expect(await checkpointPassed(store, prefix, log.at(-1)!)).toBe(true));
      const stored = await readJetStream<JournalEntry>(observer, stream);
      expect(stored.map((event) => event.eventId)).toEqual(log.map((event) => event.id));
    } finally {
      await app.close();
    }
  });

  it('with no stream, keeps the checkpoint and retries saying why; once a stream exists, it holds every event once', async () => {
    const prefix = uniquePrefix();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const app = await jetStreamApp(prefix);
    try {
      const store = app.get<EventStore>(EVENT_STORE);
      await writeSomeEvents(app.get(Orchestrator), 'before the stream');
      await eventually(async () => expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(
        expect.stringContaining(`No JetStream stream captures ${busNames(prefix).eventSubject('')}`),
      ));
      const unpublished = await runtreeEvents(store);
      expect(await new PublisherCheckpoint(store, busNames(prefix).publisherCheckpointStream).load()).toBe('start');

      const stream = await createEventsStream(prefix);
      await writeSomeEvents(app.get(Orchestrator), 'after the stream');
      const log = await runtreeEvents(store);
      expect(log.length).toBeGreaterThan(unpublished.length);

      await eventually(async () => expect(await checkpointPassed(store, prefix, log.at(-1)!)).toBe(true));
      const stored = await readJetStream<JournalEntry>(observer, stream);
      expect(stored.map((event) => event.eventId)).toEqual(log.map((event) => event.id));
    } finally {
      warn.mockRestore();
      await app.close();
    }
  });
});
