import { Logger } from '@nestjs/common';
import { RmqContext, type BaseRpcContext } from '@nestjs/microservices';

const logger = new Logger('BusAcknowledgement');

/**
 * Tells RabbitMQ a command is done with, once the Orchestrator call has settled: a command whose
 * instance stops before that is redelivered. NATS has nothing to acknowledge (request/reply).
 */
export function acknowledge(context: BaseRpcContext | undefined): void {
  if (!(context instanceof RmqContext)) return;
  try {
    context.getChannelRef().ack(context.getMessage());
  } catch (error) {
    // The channel closed meanwhile: the broker redelivers the command, whose commandId makes that harmless.
    logger.warn(`Could not acknowledge a command (it will be redelivered): ${String(error)}`);
  }
}
