import { randomUUID } from 'node:crypto';
import type { Deserializer, IncomingRequest } from '@nestjs/microservices';
import { UnreadableMessage } from './unreadable-message.js';

/**
 * Requests come in two wrappings. A plain client (any NATS or AMQP library) sends the request object
 * itself and gets the reply `{ ok, value | error }` itself. A Nest ClientProxy sends its packet
 * `{ pattern, data, id }` and gets Nest's `{ id, response, isDisposed }` around the same reply, which
 * its `send()` unwraps. No request has a `pattern` field, so that field tells the two apart.
 */
const PLAIN_REQUEST_ID = 'plain:';

/** Whether a reply answers a plain request, and so goes out without Nest's wrapping. */
export function isPlainRequestId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith(PLAIN_REQUEST_ID);
}

/** What the transport knows of a message besides its body. */
export interface Envelope {
  /** The NATS subject, which names the operation of any request. */
  readonly subject?: string | undefined;
  /** The AMQP `type` property, which names the operation of a plain RabbitMQ request (a Nest packet names it by its pattern). */
  readonly messageType?: string | undefined;
  /** Where the reply goes (NATS reply subject, AMQP `reply_to`); without one a request cannot be answered. */
  readonly replyTo: string | undefined;
}

function isNestPacket(body: unknown): body is { pattern?: unknown; data?: unknown; id?: unknown } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, 'pattern');
}

/**
 * Reads a request, plain or a Nest packet. Anything unreadable becomes a request (so the sender, if it
 * gave a reply address, is answered) whose payload is an UnreadableMessage (so it is never run). A
 * request that cannot be answered (a packet without an id, a plain one without a reply address) is
 * refused too: run without a reply, a command's outcome would be lost to its sender.
 */
export function readCommandPacket(body: unknown, envelope: Envelope): IncomingRequest {
  if (isNestPacket(body)) return readNestPacket(body, envelope);
  const id = `${PLAIN_REQUEST_ID}${randomUUID()}`;
  const pattern = envelope.subject ?? envelope.messageType;
  const refused = (field: string, reason: string) => ({ pattern: pattern ?? '', data: new UnreadableMessage(field, reason), id });
  if (envelope.replyTo === undefined) return refused('reply', 'is missing (a NATS reply subject or an AMQP reply_to): a command that cannot be answered is not run');
  if (pattern === undefined) return refused('type', 'must name the operation (the AMQP type property), e.g. runtree.run.start');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refused('request', 'must be a JSON object: the request, or the packet { pattern, data, id } Nest clients send');
  return { pattern, data: body, id };
}

function readNestPacket({ pattern, data, id }: { pattern?: unknown; data?: unknown; id?: unknown }, envelope: Envelope): IncomingRequest {
  // NATS names the operation by the subject; RabbitMQ's Nest clients by the packet's pattern.
  const operation = (envelope.subject ?? pattern) as string;
  const refused = (field: string, reason: string) => ({ pattern: operation, data: new UnreadableMessage(field, reason), id: '' });
  if (id === undefined) return refused('body.id', 'is missing: a command without an id cannot be answered, so it is not run');
  if (typeof id !== 'string') return refused('body.id', `must be a string (got ${Array.isArray(id) ? 'array' : typeof id})`);
  return { pattern: operation, data, id };
}

/** NATS hands over the message: its bytes are read here, so bytes that are no JSON are answered too. */
export class NatsCommandDeserializer implements Deserializer<{ readonly data: Uint8Array }, IncomingRequest> {
  private readonly decoder = new TextDecoder();

  deserialize(message: { readonly data: Uint8Array }, options?: { channel?: string; replyTo?: string }): IncomingRequest {
    let body: unknown;
    try {
      body = JSON.parse(this.decoder.decode(message.data));
    } catch {
      body = undefined;
    }
    return readCommandPacket(body, { subject: options?.channel, replyTo: options?.replyTo || undefined });
  }
}

/**
 * The properties of the AMQP messages read as plain requests. Nest's RabbitMQ server sends a reply
 * without the request's id (its clients match by correlation id), so the reply is told apart by the
 * message it answers: these are the very `properties` objects the server later hands back with it.
 */
const plainAmqpRequests = new WeakSet<object>();

export function isPlainAmqpRequest(properties: object): boolean {
  return plainAmqpRequests.has(properties);
}

/** RabbitMQ's server has parsed the content already: JSON, or the raw text when it was none. */
export class RabbitMqCommandDeserializer implements Deserializer<unknown, IncomingRequest> {
  deserialize(content: unknown, properties?: { type?: string; replyTo?: string }): IncomingRequest {
    const request = readCommandPacket(content, { messageType: properties?.type || undefined, replyTo: properties?.replyTo || undefined });
    if (properties !== undefined && isPlainRequestId(request.id)) plainAmqpRequests.add(properties);
    return request;
  }
}
