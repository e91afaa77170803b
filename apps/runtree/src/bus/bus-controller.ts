import { Controller, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, type BaseRpcContext } from '@nestjs/microservices';
import { BusIntake } from './bus-intake.js';
import { busNames, busOperations, operationIdOf } from './bus-names.js';
import type { BusReply } from './bus-reply.js';

/**
 * The controller that serves every bus operation on every connected transport. Message patterns
 * carry the configured prefix, known only at start-up, so the handlers are declared from the
 * operation table here rather than written one by one with constant decorators.
 */
export function createBusController(prefix: string): Type<unknown> {
  const names = busNames(prefix);

  @Controller()
  class BusController {
    constructor(readonly intake: BusIntake) {}
  }

  for (const operation of busOperations) {
    const descriptor: PropertyDescriptor = {
      value(this: BusController, payload: unknown, context: BaseRpcContext): Promise<BusReply> {
        return this.intake.handle(operation, payload, context);
      },
      writable: true,
      configurable: true,
    };
    const name = operationIdOf(operation);
    Object.defineProperty(BusController.prototype, name, descriptor);
    MessagePattern(names.pattern(operation))(BusController.prototype, name, descriptor);
    // Without parameter decorators Nest passes the payload alone; the context carries the RabbitMQ ack.
    Payload()(BusController.prototype, name, 0);
    Ctx()(BusController.prototype, name, 1);
  }
  return BusController;
}
