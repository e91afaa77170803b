import type { Deserializer, IncomingRequest } from '@nestjs/microservices';
import { UnreadableMessage } from './unreadable-message.js';

const NOT_A_PACKET = 'is not a JSON object { pattern, data, id } (the request packet Nest clients send)';

/**
 * Reads a command packet `{ pattern, data, id }`. Anything else becomes a request (so the sender,
 * if it gave a reply address, is answered) whose payload is an UnreadableMessage (so it is never
 * run). A packet without an id would otherwise be taken for an event: run with no reply at all.
 * `channel` is the NATS subject, which names the operation there; RabbitMQ takes the packet's pattern.
 */
export function readCommandPacket(body: unknown, channel: string | undefined): IncomingRequest {
  const refused = (field: string, reason: string) => ({ pattern: channel as string, data: new UnreadableMessage(field, reason), id: '' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refused('body', NOT_A_PACKET);
  const { pattern, data, id } = body as { pattern?: unknown; data?: unknown; id?: unknown };
  if (id === undefined) return refused('body.id', 'is missing: a command without an id cannot be answered, so it is not run');
  if (typeof id !== 'string') return refused('body.id', `must be a string (got ${Array.isArray(id) ? 'array' : typeof id})`);
  return { pattern: (channel ?? pattern) as string, data, id };
}

/** NATS hands over the message: its bytes are read here, so bytes that are no JSON are answered too. */
export class NatsCommandDeserializer implements Deserializer<{ readonly data: Uint8Array }, IncomingRequest> {
  private readonly decoder = new TextDecoder();

  deserialize(message: { readonly data: Uint8Array }, options?: { channel?: string }): IncomingRequest {
    let body: unknown;
    try {
      body = JSON.parse(this.decoder.decode(message.data));
    } catch {
      body = undefined;
    }
    return readCommandPacket(body, options?.channel);
  }
}

/** RabbitMQ's server has parsed the content already: JSON, or the raw text when it was none. */
export class RabbitMqCommandDeserializer implements Deserializer<unknown, IncomingRequest> {
  deserialize(content: unknown): IncomingRequest {
    return readCommandPacket(content, undefined);
  }
}
