import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { connect as connectNats, type NatsConnection } from '@nats-io/transport-node';
import amqplib from 'amqplib';
import { firstValueFrom, timeout } from 'rxjs';
import { Orchestrator, OrchestratorModule, type JournalEntry, type StoreOptions } from '@runtree/orchestration';
import { loadRuntreeConfig, type RuntreeConfig } from '../../../apps/runtree/src/config.js';
import { createRuntreeApp } from '../../../apps/runtree/src/create-app.js';
import { BusModule, busNames, connectBusTransports, type BusOperation, type BusReply } from '../../../apps/runtree/src/bus/index.js';

export const natsUrl = process.env.RUNTREE_NATS_URL ?? 'nats://127.0.0.1:4222';
export const rabbitmqUrl = process.env.RUNTREE_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A prefix of its own per test run, so runs (and parallel test files) never share a queue or subject. */
export function uniquePrefix(): string {
  return `rt${Date.now()}${randomBytes(3).toString('hex')}`;
}

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || defaultPort), hostname, () => done(true));
  });
}

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

/** A caller of the bus, as another service would be: a Nest ClientProxy. */
export class BusCaller {
  constructor(
    private readonly client: ClientProxy,
    private readonly prefix: string,
  ) {}

  call<T = unknown>(operation: BusOperation, payload: unknown, timeoutMs = 10_000): Promise<BusReply<T>> {
    return firstValueFrom(this.client.send<BusReply<T>>(busNames(this.prefix).pattern(operation), payload).pipe(timeout(timeoutMs)));
  }

  /** The value of a reply that must succeed; fails the test with the error reply otherwise. */
  async value<T = Record<string, unknown>>(operation: BusOperation, payload: unknown): Promise<T> {
    const reply = await this.call<T>(operation, payload);
    if (!reply.ok) throw new Error(`${operation} failed: ${JSON.stringify(reply.error)}`);
    return reply.value;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** `url`: another server than the shared one (a private one a test restarts); the caller then reconnects to it forever. */
export async function natsCaller(prefix: string, url = natsUrl): Promise<BusCaller> {
  const client = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [url], maxReconnectAttempts: -1, reconnectTimeWait: 500 } });
  await client.connect();
  return new BusCaller(client, prefix);
}

/** `url`: another way to the broker (a proxy a test cuts off); the caller reconnects every second. */
export async function rabbitmqCaller(prefix: string, url = rabbitmqUrl): Promise<BusCaller> {
  const client = ClientProxyFactory.create({
    transport: Transport.RMQ,
    options: { urls: [url], queue: busNames(prefix).rabbitmqCommandQueue, queueOptions: { durable: true }, socketOptions: { reconnectTimeInSeconds: 1 } },
  });
  await client.connect();
  return new BusCaller(client, prefix);
}

/** Published events as a subscriber receives them. */
export interface EventListener {
  readonly received: JournalEntry[];
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (received: readonly JournalEntry[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function listener(close: () => Promise<void>): EventListener & { receive(entry: JournalEntry): void } {
  const received: JournalEntry[] = [];
  const waiters = new Set<() => void>();
  return {
    received,
    receive(entry) {
      received.push(entry);
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
      if (error === null) events.receive(message.json<JournalEntry>());
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
    if (message !== null) events.receive(JSON.parse(message.content.toString()) as JournalEntry);
  }, { noAck: true });
  return events;
}

/** Removes what a test run left on RabbitMQ: its durable command queue and events exchange. */
export async function deleteRabbitmqResources(prefix: string): Promise<void> {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  const names = busNames(prefix);
  await channel.deleteQueue(names.rabbitmqCommandQueue);
  await channel.deleteExchange(names.rabbitmqEventsExchange);
  await connection.close();
}
