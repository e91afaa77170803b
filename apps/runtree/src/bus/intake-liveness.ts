import type { Observable } from 'rxjs';
import type { BrokerLivenessProbe } from '../ops/index.js';

/**
 * The statuses of Nest's NATS and RabbitMQ servers (`NatsStatus`, `RmqStatus`) in which commands
 * arrive and replies leave; RabbitMQ's `unblocked` ends a `blocked` (the broker refusing publishes,
 * replies included, until a resource alarm clears).
 */
const RECEIVING = new Set(['connected', 'unblocked']);

/**
 * Follows a command intake server's connection through the public `status` of the microservice
 * Nest returns for it, and answers /health from the last status: up only while it receives.
 */
export function intakeLiveness(status: Observable<string>): BrokerLivenessProbe {
  let last: string | undefined;
  status.subscribe((next) => (last = next));
  return async () => {
    if (last === undefined) throw new Error('the command intake has not connected yet');
    if (!RECEIVING.has(last)) throw new Error(`the command intake's connection is ${last}`);
    return true;
  };
}
