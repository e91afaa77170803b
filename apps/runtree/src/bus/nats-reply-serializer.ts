import type { Serializer } from '@nestjs/microservices';
import { isPlainRequestId } from './command-deserializer.js';

interface OutgoingPacket {
  readonly id?: string;
  readonly response?: unknown;
}

/** NATS replies: the bare `{ ok, value | error }` to a plain request, Nest's packet to a Nest client (as Nest's own serializer writes it). */
export class NatsReplySerializer implements Serializer<OutgoingPacket, { data: string; headers: undefined }> {
  serialize(packet: OutgoingPacket): { data: string; headers: undefined } {
    return { data: JSON.stringify(isPlainRequestId(packet.id) ? packet.response : packet), headers: undefined };
  }
}
