import { Logger } from '@nestjs/common';
import { ServerRMQ, type MessageHandler, type OutgoingResponse, type RmqContext } from '@nestjs/microservices';
import { isPlainAmqpRequest } from './command-deserializer.js';
import { refuseUnreadable, UnreadableMessage } from './unreadable-message.js';

const logger = new Logger('RabbitMqCommandServer');

/**
 * Nest's RabbitMQ server, with replies whose loss is handled. It sends each reply on a confirm
 * channel and drops the promise, so a reply still unconfirmed when the connection breaks rejects
 * unhandled, and Node ends the process on an unhandled rejection: a broker restart would kill the
 * instance. Here a lost reply is logged; the caller gets no reply and retries with its commandId.
 *
 * One queue carries every pattern (a Nest packet's `pattern`, a plain request's AMQP `type`), so a
 * message no handler takes (unreadable, or an unknown pattern) goes to a catch-all that acknowledges it and answers why, instead of Nest's
 * dead-lettering with a warning per message.
 */
export class RabbitMqCommandServer extends ServerRMQ {
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    return super.getHandlerByPattern(pattern) ?? refuseUnknownPattern;
  }

  override sendMessage<T>(message: T, replyTo: string | undefined, correlationId: string, context: RmqContext): void {
    if (replyTo === undefined) return; // the sender asked for no reply
    // As ServerRMQ.sendMessage does, keeping the promise; a plain request gets the bare reply (see command-deserializer.ts).
    const { options, ...packet } = this.serializer.serialize(message as OutgoingResponse) as { options?: object; response?: unknown };
    const plain = isPlainAmqpRequest(context.getMessage().properties as object);
    if (plain && packet.response === undefined) return; // Nest's end-of-stream marker: a plain client gets one reply
    const reply = plain ? packet.response : packet;
    this.channel!.sendToQueue(replyTo, Buffer.from(JSON.stringify(reply)), { correlationId, ...options }).catch((error: unknown) => {
      logger.warn(`A reply was lost with the connection to RabbitMQ (the caller will retry): ${String(error)}`);
    });
  }
}

const unknownPattern = new UnreadableMessage('body.pattern', 'names no operation of this service');

const refuseUnknownPattern = (async (data: unknown, context: RmqContext) =>
  refuseUnreadable(data instanceof UnreadableMessage ? data : unknownPattern, context)) as MessageHandler;
