import { randomUUID } from 'node:crypto';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import amqplib from 'amqplib';
import { busNames, type BusOperation } from '../../../apps/runtree/src/bus/index.js';
import { natsUrl, rabbitmqUrl } from '../../e2e/bus/bus-harness.js';

// Callers that write raw bytes to the brokers, as a buggy or hostile client would: a plain request
// (any JSON text, the operation named by the NATS subject or the AMQP type property), the Nest packet
// (`{ pattern, data, id }`) around any payload, or bytes that are no request at all.

/** Nest's reply packet around the intake's reply. */
export interface ReplyPacket {
  readonly response?: unknown;
  readonly err?: unknown;
}

export interface WireCaller {
  /** Sends a request packet whose `data` is the given JSON text; resolves with the reply packet. */
  request(operation: BusOperation, dataText: string): Promise<ReplyPacket>;
  /** Sends the JSON text as a plain request (with `headers`, if given); resolves with the reply as it came (no packet around it). */
  plainRequest(operation: BusOperation, requestText: string, headers?: Readonly<Record<string, string>>): Promise<unknown>;
  /** Sends bytes as they are, as a plain client would; resolves once they are on the broker (a reply, if any, is counted). */
  sendRaw(operation: BusOperation, bytes: Buffer): Promise<void>;
  /** Replies that came to raw sends, by then, as they came. */
  readonly rawReplies: unknown[];
  close(): Promise<void>;
}

const REPLY_TIMEOUT_MS = 10_000;

function packet(pattern: string, dataText: string, id: string): Buffer {
  return Buffer.from(`{"pattern":${JSON.stringify(pattern)},"data":${dataText},"id":${JSON.stringify(id)}}`);
}

export async function natsWireCaller(prefix: string): Promise<WireCaller & { readonly connection: NatsConnection }> {
  const connection = await connect({ servers: [natsUrl] });
  const names = busNames(prefix);
  const rawReplies: unknown[] = [];
  return {
    connection,
    rawReplies,
    async request(operation, dataText) {
      const subject = names.pattern(operation);
      const reply = await connection.request(subject, packet(subject, dataText, randomUUID()), { timeout: REPLY_TIMEOUT_MS });
      return reply.json<ReplyPacket>();
    },
    async plainRequest(operation, requestText, headers) {
      const messageHeaders = natsHeaders();
      for (const [name, value] of Object.entries(headers ?? {})) messageHeaders.set(name, value);
      const reply = await connection.request(names.pattern(operation), requestText, { timeout: REPLY_TIMEOUT_MS, headers: messageHeaders });
      return reply.json<unknown>();
    },
    async sendRaw(operation, bytes) {
      const inbox = `_INBOX.${randomUUID()}`;
      const subscription = connection.subscribe(inbox, { callback: (error, message) => {
          if (error === null) rawReplies.push(message.json<unknown>());
        },
      });
      setTimeout(() => subscription.unsubscribe(), REPLY_TIMEOUT_MS).unref();
      connection.publish(names.pattern(operation), bytes, { reply: inbox });
      await connection.flush();
    },
    close: () => connection.close(),
  };
}

export async function rabbitmqWireCaller(prefix: string): Promise<WireCaller> {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  const names = busNames(prefix);
  const { queue: replyQueue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  const pending = new Map<string, (reply: unknown) => void>();
  const rawReplies: unknown[] = [];
  await channel.consume(
    replyQueue,
    (message) => {
      if (message === null) return;
      const reply = JSON.parse(message.content.toString()) as unknown;
      const waiter = pending.get(String(message.properties.correlationId));
      if (waiter) waiter(reply);
      else rawReplies.push(reply);
    },
    { noAck: true },
  );
  // A plain request names its operation by the AMQP type property; a Nest packet by its pattern.
  const send = (operation: BusOperation, bytes: Buffer, correlationId: string, headers?: Readonly<Record<string, string>>) =>
    channel.sendToQueue(names.rabbitmqCommandQueue, bytes, { replyTo: replyQueue, correlationId, persistent: false, type: names.pattern(operation), headers });
  const call = (operation: BusOperation, bytes: Buffer, headers?: Readonly<Record<string, string>>) => {
      const id = randomUUID();
      return new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`No reply to ${operation} within ${REPLY_TIMEOUT_MS} ms`));
        }, REPLY_TIMEOUT_MS);
        pending.set(id, (reply) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(reply);
        });
        send(operation, bytes, id, headers);
      });
  };
  return {
    rawReplies,
    request: (operation, dataText) => call(operation, packet(names.pattern(operation), dataText, randomUUID())) as Promise<ReplyPacket>,
    plainRequest: (operation, requestText, headers) => call(operation, Buffer.from(requestText), headers),
    async sendRaw(operation, bytes) {
      send(operation, bytes, `raw-${randomUUID()}`);
    },
    close: () => connection.close(),
  };
}
