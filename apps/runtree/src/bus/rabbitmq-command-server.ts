import { Logger } from '@nestjs/common';
import { ServerRMQ, type OutgoingResponse, type RmqContext } from '@nestjs/microservices';

const logger = new Logger('RabbitMqCommandServer');

/**
 * Nest's RabbitMQ server, with replies whose loss is handled. It sends each reply on a confirm
 * channel and drops the promise, so a reply still unconfirmed when the connection breaks rejects
 * unhandled, and Node ends the process on an unhandled rejection: a broker restart would kill the
 * instance. Here a lost reply is logged; the caller gets no reply and retries with its commandId.
 */
export class RabbitMqCommandServer extends ServerRMQ {
  override sendMessage<T>(message: T, replyTo: string, correlationId: string, _context: RmqContext): void {
    // As ServerRMQ.sendMessage does, keeping the promise.
    const { options, ...reply } = this.serializer.serialize(message as OutgoingResponse) as { options?: object };
    this.channel!.sendToQueue(replyTo, Buffer.from(JSON.stringify(reply)), { correlationId, ...options }).catch((error: unknown) => {
      logger.warn(`A reply was lost with the connection to RabbitMQ (the caller will retry): ${String(error)}`);
    });
  }
}
