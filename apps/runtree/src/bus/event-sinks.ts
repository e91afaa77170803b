import type { RuntreeConfig } from '../config.js';
import { busNames } from './bus-names.js';
import type { EventSink } from './event-sink.js';
import { NatsEventSink } from './nats-event-sink.js';
import { RabbitMqEventSink } from './rabbitmq-event-sink.js';

/** Nest token of the `EventSink[]` the publisher feeds. */
export const EVENT_SINKS = Symbol('EVENT_SINKS');

/** A sink per configured broker; none when the bus is off. */
export function eventSinksFor(config: RuntreeConfig): EventSink[] {
  const names = busNames(config.busPrefix);
  return [
    ...(config.natsUrl !== undefined ? [new NatsEventSink(config.natsUrl, names.publisherCheckpointStream)] : []),
    ...(config.rabbitmqUrl !== undefined ? [new RabbitMqEventSink(config.rabbitmqUrl, names.rabbitmqEventsExchange)] : []),
  ];
}
