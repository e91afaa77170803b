import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect as connectNats, type NatsConnection } from '@nats-io/transport-node';
import amqplib from 'amqplib';
import { Orchestrator, OrchestratorModule, type JournalEntry, type StoreOptions } from '@runtree/orchestration';
import { loadRuntreeConfig, type RuntreeConfig } from '../../../apps/runtree/src/config.js';
import { createRuntreeApp } from '../../../apps/runtree/src/create-app.js';
import { BusModule, busNames, connectBusTransports } from '../../../apps/runtree/src/bus/index.js';
import { natsUrl, rabbitmqUrl, reachable } from '../../support/bus-client.js';

// The caller's side lives in test/support/bus-client.ts (the bench uses it too).
export { BusCaller, deleteRabbitmqResources, natsCaller, natsUrl, rabbitmqCaller, rabbitmqUrl, uniquePrefix } from '../../support/bus-client.js';

/**
 * Whether the real brokers answer. On CI a missing broker fails the suite (it must not pass by
 * skipping); elsewhere the suite is skipped with a warning.
 */
export async function brokersAvailable(): Promise<boolean> {
  const missing = [
    ...((await reachable(natsUrl, 4222)) ? [] : [`NATS at ${natsUrl}`]),
    ...((await reachable(rabbitmqUrl, 5672)) ? [] : ['RabbitMQ at 127.0.0.1:5672']),
  ];
  if (missing.length === 0) return true;
  const message = `Bus tests need ${missing.join(' and ')} (see shared/notes/stack.md, "Brokers on this machine")`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`${message}: skipped`);
  return false;
}

/** The service's configuration as the environment would give it, with the brokers this test uses. */
export function busConfig(prefix: string, sqlitePath = ':memory:', brokers: { nats?: boolean; rabbitmq?: boolean } = { nats: true, rabbitmq: true }): RuntreeConfig {
  const loaded = loadRuntreeConfig({
    RUNTREE_SQLITE_PATH: sqlitePath,
    RUNTREE_BUS_PREFIX: prefix,
    ...(brokers.nats ? { RUNTREE_NATS_URL: natsUrl } : {}),
    ...(brokers.rabbitmq ? { RUNTREE_RABBITMQ_URL: rabbitmqUrl } : {}),
  });
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
}

/**
 * An instance of the service as main.ts builds it, minus HTTP: orchestrator, bus intake on the
 * configured brokers, publisher. Instances given one store `instance` are one deployment.
 */
export async function startBusApp(config: RuntreeConfig, store: StoreOptions = { kind: 'sqlite', path: config.sqlitePath }): Promise<INestApplication> {
  @Module({ imports: [OrchestratorModule.forRoot({ store }), BusModule.forRoot(config)] })
  class BusTestModule {}

  const app = await NestFactory.create(BusTestModule, { logger: ['error'] });
  connectBusTransports(app, config);
  await app.init();
  // As main.ts does: take no command before the read models have caught up.
  await app.get(Orchestrator).ensureReady();
  await app.startAllMicroservices();
  return app;
}

/** The whole service as main.ts starts it (HTTP, /health, bus intake, publisher), minus listening: drive `getHttpServer()`. */
export async function startRuntreeService(config: RuntreeConfig): Promise<INestApplication> {
  const app = await createRuntreeApp(config, { logger: false });
  await app.init();
  await app.get(Orchestrator).ensureReady();
  await app.startAllMicroservices();
  return app;
}

/** Published events as a subscriber receives them. */
export interface EventListener {
  readonly received: JournalEntry[];
  /** The `traceparent` header a received event came with, if any. */
  traceparentOf(entry: JournalEntry): string | undefined;
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (received: readonly JournalEntry[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function listener(close: () => Promise<void>): EventListener & { receive(entry: JournalEntry, traceparent: string | undefined): void } {
  const received: JournalEntry[] = [];
  const traceparents = new WeakMap<JournalEntry, string>();
  const waiters = new Set<() => void>();
  return {
    received,
    traceparentOf: (entry) => traceparents.get(entry),
    receive(entry, traceparent) {
      received.push(entry);
      if (traceparent !== undefined) traceparents.set(entry, traceparent);
      for (const check of [...waiters]) check();
    },
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out after ${timeoutMs} ms; received ${received.map((entry) => entry.type).join(', ') || 'nothing'}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    close,
  };
}

/** Subscribes to NATS `subject` (wildcards allowed, e.g. `<prefix>.events.>`). */
export async function natsEventListener(subject: string): Promise<EventListener> {
  const connection: NatsConnection = await connectNats({ servers: [natsUrl] });
  const events = listener(() => connection.close());
  connection.subscribe(subject, {
    callback: (error, message) => {
      if (error === null) events.receive(message.json<JournalEntry>(), message.headers?.get('traceparent') || undefined);
    },
  });
  await connection.flush();
  return events;
}

/** A queue of its own bound to the events exchange with `routingKey` (wildcards allowed). */
export async function rabbitmqEventListener(prefix: string, routingKey: string): Promise<EventListener> {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  const exchange = busNames(prefix).rabbitmqEventsExchange;
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, routingKey);
  const events = listener(() => connection.close());
  await channel.consume(queue, (message) => {
    if (message !== null) events.receive(JSON.parse(message.content.toString()) as JournalEntry, (message.properties.headers?.['traceparent'] as string | undefined) ?? undefined);
  }, { noAck: true });
  return events;
}
