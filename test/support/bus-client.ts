/**
 * The caller's side of Runtree's message bus, as another service would talk to it: shared by the
 * bus tests (test/e2e/bus) and the bench's service section, so both measure and check one client.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { firstValueFrom, timeout } from 'rxjs';
import { defaultValidationLimits } from '@runtree/orchestration';
import { createAsyncApiDocument } from '../../apps/runtree/src/bus/asyncapi-document.js';
import { busNames, operationIdOf, type BusOperation } from '../../apps/runtree/src/bus/bus-names.js';
import type { BusReply } from '../../apps/runtree/src/bus/bus-reply.js';
import { DocumentValidator } from './document-validator.js';

export const natsUrl = process.env.RUNTREE_NATS_URL ?? 'nats://127.0.0.1:4222';
export const rabbitmqUrl = process.env.RUNTREE_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A prefix of its own per run, so runs (and parallel test files) never share a queue or subject. */
export function uniquePrefix(): string {
  return `rt${Date.now()}${randomBytes(3).toString('hex')}`;
}

/** Whether something accepts TCP connections at the URL's host and port, within a second. */
export function reachable(url: string, defaultPort: number): Promise<boolean> {
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

/** The bus's AsyncAPI document, whose reply schemas every reply a test receives must match. */
let asyncApi: DocumentValidator | undefined;

/** Rejects a reply the AsyncAPI document does not describe: the test that got it fails there. */
export function checkedReply<T>(operation: BusOperation, reply: T): T {
  asyncApi ??= new DocumentValidator(createAsyncApiDocument({ prefix: 'runtree', limits: defaultValidationLimits }));
  const violations = asyncApi.violations(['components', 'messages', `${operationIdOf(operation)}Reply`, 'payload'], reply);
  if (violations.length > 0) throw new Error(`The ${operation} reply breaks the AsyncAPI document:\n${violations.join('\n')}\n${JSON.stringify(reply).slice(0, 400)}`);
  return reply;
}

/** Tests check every reply against the AsyncAPI document; the bench measures the bus alone and does not. */
const checksReplies = process.env.JEST_WORKER_ID !== undefined;

/** A caller of the bus, as another service would be: a Nest ClientProxy. */
export class BusCaller {
  constructor(
    private readonly client: ClientProxy,
    private readonly prefix: string,
  ) {}

  async call<T = unknown>(operation: BusOperation, payload: unknown, timeoutMs = 10_000): Promise<BusReply<T>> {
    const reply = await firstValueFrom(this.client.send<BusReply<T>>(busNames(this.prefix).pattern(operation), payload).pipe(timeout(timeoutMs)));
    return checksReplies ? checkedReply(operation, reply) : reply;
  }

  /** The value of a reply that must succeed; rejects with the error reply otherwise. */
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

/** Removes what a run left on RabbitMQ: its durable command queue and events exchange. */
export async function deleteRabbitmqResources(prefix: string, url = rabbitmqUrl): Promise<void> {
  const connection = await amqplib.connect(url);
  const channel = await connection.createChannel();
  const names = busNames(prefix);
  await channel.deleteQueue(names.rabbitmqCommandQueue);
  await channel.deleteExchange(names.rabbitmqEventsExchange);
  await connection.close();
}
