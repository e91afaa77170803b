import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JournalEntry } from '@runtree/orchestration';
import { NatsEventSink } from '../../../apps/runtree/src/bus/nats-event-sink.js';
import { createJetStream, deleteJetStream, readJetStream } from '../../support/jetstream.js';
import { brokersAvailable, natsUrl, uniquePrefix } from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

const event = (eventId: string) => ({ eventId, type: 'RunStarted' }) as JournalEntry;

describeWithBrokers('the NATS event sink in JetStream mode', () => {
  let observer: NatsConnection;
  const streams: string[] = [];
  const sinks: NatsEventSink[] = [];

  /** A subject of its own, captured by a stream of its own when `limits` is given. */
  async function subjectWithStream(limits?: Record<string, unknown>): Promise<{ subject: string; stream: string }> {
    const prefix = uniquePrefix();
    const stream = `EVENTS_${prefix}`;
    if (limits !== undefined) {
      await createJetStream(observer, stream, [`${prefix}.events.>`], limits);
      streams.push(stream);
    }
    return { subject: `${prefix}.events.RunStarted`, stream };
  }

  async function openSink(options: { jetStream: boolean; ackTimeoutMs?: number }): Promise<NatsEventSink> {
    const sink = new NatsEventSink(natsUrl, 'jetstream-sink-test', options);
    sinks.push(sink);
    await sink.open(() => {});
    return sink;
  }

  beforeAll(async () => {
    observer = await connect({ servers: [natsUrl] });
  });

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((sink) => sink.close()));
  });

  afterAll(async () => {
    for (const stream of streams) await deleteJetStream(observer, stream);
    await observer?.close();
  });

  it('confirms once the stream stored every event; a redelivered event (a duplicate acknowledgement) counts as stored', async () => {
    const { subject, stream } = await subjectWithStream({});
    const sink = await openSink({ jetStream: true });

    for (const eventId of ['e1', 'e2', 'e3']) sink.publish(subject, event(eventId));
    await sink.flush();
    sink.publish(subject, event('e2'));
    await sink.flush();

    expect((await readJetStream<JournalEntry>(observer, stream)).map((stored) => stored.eventId)).toEqual(['e1', 'e2', 'e3']);
  });

  it("rejects with JetStream's reason when the stream refuses an event, and at every later flush", async () => {
    // Full at one message, refusing new ones: the stream's answer is an error, not an acknowledgement.
    const { subject, stream } = await subjectWithStream({ max_msgs: 1, discard: 'new' });
    const sink = await openSink({ jetStream: true });

    sink.publish(subject, event('fits'));
    sink.publish(subject, event('overflows'));
    await expect(sink.flush()).rejects.toThrow(`JetStream refused the event on ${subject}: maximum messages exceeded`);
    // A later flush must not let the checkpoint pass the refused event.
    await expect(sink.flush()).rejects.toThrow('maximum messages exceeded');

    expect((await readJetStream<JournalEntry>(observer, stream)).map((stored) => stored.eventId)).toEqual(['fits']);
  });

  it('rejects naming the subject and the variable when no stream captures the subject', async () => {
    const { subject } = await subjectWithStream();
    const sink = await openSink({ jetStream: true });

    sink.publish(subject, event('nowhere'));

    await expect(sink.flush()).rejects.toThrow(`No JetStream stream captures ${subject}: RUNTREE_NATS_JETSTREAM=true needs a stream on the events' subjects`);
  });

  it('rejects when nothing acknowledges in time: a plain subscriber gets the event but stores nothing', async () => {
    const { subject } = await subjectWithStream();
    const received: string[] = [];
    const listener = observer.subscribe(subject, {
      callback: (_error, message) => {
        received.push(message.json<JournalEntry>().eventId);
      },
    });
    await observer.flush();
    try {
      const sink = await openSink({ jetStream: true, ackTimeoutMs: 300 });
      sink.publish(subject, event('unstored'));

      await expect(sink.flush()).rejects.toThrow(`JetStream did not acknowledge the event on ${subject} within 300 ms`);
      expect(received).toEqual(['unstored']);
    } finally {
      listener.unsubscribe();
    }
  });

  it('in core mode (the default) confirms once the server has the events, stored or not', async () => {
    const { subject } = await subjectWithStream();
    const sink = await openSink({ jetStream: false });

    sink.publish(subject, event('unstored'));

    await expect(sink.flush()).resolves.toBeUndefined();
  });
});
