import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JournalEntry } from '@runtree/orchestration';
import { NatsEventSink } from '../../../apps/runtree/src/bus/nats-event-sink.js';
import { createJetStream, jetStreamMessageCount, readJetStream } from '../../support/jetstream.js';
import { natsServerAvailable, startPrivateNatsServer, type PrivateNatsServer } from '../../support/nats-server.js';
import { eventually } from '../ops/ops-app.js';
import { burstAcrossBrokerLoss, summaryLine } from './broker-loss.js';
import { busConfig, natsCaller, startRuntreeService, uniquePrefix, type BusCaller } from './bus-harness.js';

const describeWithNatsServer = natsServerAvailable() ? describe : describe.skip;

describeWithNatsServer('NATS restarted during a burst of commands', () => {
  const prefix = uniquePrefix();
  const eventsStream = `EVENTS_${prefix}`;
  let server: PrivateNatsServer;
  let app: INestApplication;
  let bus: BusCaller;
  let observer: NatsConnection;

  beforeAll(async () => {
    server = await startPrivateNatsServer();
    // The test's own view of the server (JetStream API); it reconnects through the restarts.
    observer = await connect({ servers: [server.url], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    await createJetStream(observer, eventsStream, [`${prefix}.events.>`]);
    app = await startRuntreeService({ ...busConfig(prefix, ':memory:', {}), natsUrl: server.url });
    bus = await natsCaller(prefix, server.url);
  }, 30_000);

  afterAll(async () => {
    await bus?.close();
    await app?.close();
    await observer?.close();
    await server?.stop();
  });

  it('reconnects by itself; every command is applied once; JetStream holds every event once, in log order', async () => {
    // A crash (SIGKILL) and a start of the same server, on the same port and store.
    const { log, figures } = await burstAcrossBrokerLoss(app, bus, prefix, { broker: 'nats', goDown: () => server.kill(), comeBack: () => server.start() });

    // At least once from the checkpoint, de-duplicated by Nats-Msg-Id: the stream holds the log exactly.
    await eventually(async () => expect(await jetStreamMessageCount(observer, eventsStream)).toBeGreaterThanOrEqual(log.length), 20_000);
    const received = await readJetStream<JournalEntry>(observer, eventsStream);
    expect(received.map((event) => event.eventId)).toEqual(log.map((event) => event.id));

    console.log(summaryLine('NATS restart during a burst', { ...figures, 'events in the JetStream stream': received.length }));
  }, 90_000);
});

describeWithNatsServer('the NATS event sink across a server restart', () => {
  let server: PrivateNatsServer;
  let observer: NatsConnection;

  beforeAll(async () => {
    server = await startPrivateNatsServer();
    observer = await connect({ servers: [server.url], maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });

  afterAll(async () => {
    await observer?.close();
    await server?.stop();
  });

  it('never confirms an event the restarted server did not get: it reports the loss and refuses instead', async () => {
    const subject = `${uniquePrefix()}.events.RunStarted`;
    const received: string[] = [];
    observer.subscribe(subject, {
      callback: (_error, message) => {
        received.push(message.json<JournalEntry>().eventId);
      },
    });
    await observer.flush();
    const sink = new NatsEventSink(server.url, 'restart-test');
    let lost: Error | undefined;
    await sink.open((reason) => (lost = reason));
    const event = (eventId: string) => ({ eventId, type: 'RunStarted' }) as JournalEntry;
    try {
      sink.publish(subject, event('before'));
      await sink.flush();

      await server.kill();
      const handedOverMeanwhile = (async () => {
        sink.publish(subject, event('while down'));
        // Long enough for a reconnecting client to be back before it flushes.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        await sink.flush();
      })();
      await server.start();

      await expect(handedOverMeanwhile).rejects.toThrow();
      expect(lost?.message).toEqual(expect.any(String));
      expect(await sink.isAlive()).toBe(false);
      await eventually(async () => expect(await observer.flush()).toBeUndefined());
      expect(received).toEqual(['before']);
    } finally {
      await sink.close();
    }
  }, 30_000);
});
