import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator, type JournalEntry } from '@runtree/orchestration';
import { createJetStream, jetStreamMessageCount, readJetStream } from '../../support/jetstream.js';
import { natsServerAvailable, startPrivateNatsServer, type PrivateNatsServer } from '../../support/nats-server.js';
import { eventually } from '../ops/ops-app.js';
import { NatsEventSink } from '../../../apps/runtree/src/bus/nats-event-sink.js';
import { checkJournal, expectedTrees, fireBurst, planLanes, runtreeEvents, summaryLine, treesAsRead } from './broker-burst.js';
import { busConfig, natsCaller, startRuntreeService, uniquePrefix, type BusCaller } from './bus-harness.js';

const describeWithNatsServer = natsServerAvailable() ? describe : describe.skip;

/** Runs started over HTTP while the server is down, one every `OUTAGE_STEP_MS`: events to publish once it is back. */
const RUNS_DURING_OUTAGE = 10;
const OUTAGE_STEP_MS = 100;

describeWithNatsServer('NATS restarted during a burst of commands', () => {
  const prefix = uniquePrefix();
  const eventsStream = `EVENTS_${prefix}`;
  const shape = { trees: 8, childrenPerTree: 6 };
  let server: PrivateNatsServer;
  let app: INestApplication;
  let bus: BusCaller;
  let observer: NatsConnection;

  const healthOf = async () => request(app.getHttpServer()).get('/health');

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

  /**
   * A crash of the server; once /health reports it down, HTTP clients start runs (the service takes
   * them: only the bus is down), then the server starts again.
   */
  async function restartServer(fault: number): Promise<void> {
    await server.kill();
    await eventually(async () => {
      const health = await healthOf();
      expect(health.status).toBe(503);
      expect(health.body.error).toMatchObject({ nats: { status: 'down' } });
    }, 10_000);
    for (let run = 0; run < RUNS_DURING_OUTAGE; run++) {
      await request(app.getHttpServer()).post('/runs').send({ runId: `${prefix}-outage${fault}-${run}`, kind: 'offline' }).expect(201);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_STEP_MS));
    }
    await server.start();
  }

  it('reconnects by itself; every command is applied once; JetStream holds every event once, in log order', async () => {
    const lanes = planLanes(prefix, shape);
    const commands = lanes.flat().length;
    const faultAfterAcknowledgements = [Math.floor(commands / 4), Math.floor((2 * commands) / 3)];
    let faults = 0;
    let restarts: Promise<void> = Promise.resolve();
    let acknowledgedBeforeLastRestart = 0;

    const outcomes = await fireBurst(bus, lanes, (acknowledged) => {
      if (!faultAfterAcknowledgements.includes(acknowledged)) return;
      const fault = ++faults;
      acknowledgedBeforeLastRestart = acknowledged;
      restarts = restarts.then(() => restartServer(fault));
    });
    await restarts;

    // The same instance, never restarted, took commands after the last restart and is healthy again.
    const acknowledged = outcomes.filter((outcome) => outcome.acknowledged);
    expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeLastRestart);
    await eventually(async () => {
      const health = await healthOf();
      expect(health.status).toBe(200);
      expect(health.body.details).toMatchObject({ nats: { status: 'up' } });
    }, 20_000);

    expect(faults).toBe(2);
    expect(outcomes.filter((outcome) => !outcome.acknowledged)).toEqual([]);
    expect(outcomes).toHaveLength(commands);
    const log = await runtreeEvents(app.get<EventStore>(EVENT_STORE));
    const journal = checkJournal(outcomes, log);
    expect(journal).toEqual({ lost: [], duplicated: [] });
    expect(await treesAsRead(app.get(Orchestrator), prefix, shape)).toEqual(expectedTrees(prefix, shape));

    // At least once from the checkpoint, de-duplicated by Nats-Msg-Id: the stream holds the log exactly.
    await eventually(async () => expect(await jetStreamMessageCount(observer, eventsStream)).toBeGreaterThanOrEqual(log.length), 20_000);
    const received = await readJetStream<JournalEntry>(observer, eventsStream);
    expect(received.map((event) => event.eventId)).toEqual(log.map((event) => event.id));

    console.log(
      summaryLine('NATS restart during a burst', {
        faults,
        commands,
        attempts: outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0),
        acknowledged: acknowledged.length,
        lost: journal.lost.length,
        duplicated: journal.duplicated.length,
        'runs started over HTTP during the outages': faults * RUNS_DURING_OUTAGE,
        'events published': log.length,
        'events received': received.length,
      }),
    );
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
      expect(lost).toBeInstanceOf(Error);
      expect(await sink.isAlive()).toBe(false);
      await eventually(async () => expect(await observer.flush()).toBeUndefined());
      expect(received).toEqual(['before']);
    } finally {
      await sink.close();
    }
  }, 30_000);
});
