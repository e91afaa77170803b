import { Logger } from '@nestjs/common';
import type { BaseRpcContext } from '@nestjs/microservices';
import { inputError, OrchestratorError } from '@runtree/orchestration';
import { acknowledge } from './bus-acknowledgement.js';
import type { BusReply } from './bus-reply.js';
import { RateLimitedWarning } from './rate-limited-warning.js';

/** One warning a minute at most about refused messages: junk must not flood the log. */
export const REFUSAL_WARNING_INTERVAL_MS = 60_000;

const refusals = new RateLimitedWarning(new Logger('BusIntake'), REFUSAL_WARNING_INTERVAL_MS);

/**
 * A message on the command queue that is no command (not a JSON request packet, no id, no
 * operation). It stands in for the payload, so the message is answered with the reason and never run.
 */
export class UnreadableMessage {
  readonly error: OrchestratorError;

  constructor(field: string, reason: string) {
    this.error = OrchestratorError.from(inputError({ code: 'invalid_option', field, reason }));
  }
}

/** Acknowledges the message (RabbitMQ must not redeliver junk) and answers with the reason it was refused. */
export function refuseUnreadable(message: UnreadableMessage, context: BaseRpcContext | undefined): BusReply {
  acknowledge(context);
  refusals.warn(`Refused a bus message: ${message.error.message}`);
  return { ok: false, error: message.error.toJSON() };
}
