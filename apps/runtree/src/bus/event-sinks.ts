import { Logger } from '@nestjs/common';
import type { RuntreeConfig } from '../config.js';
import { busNames } from './bus-names.js';
import type { EventSink } from './event-sink.js';
import { NatsEventSink } from './nats-event-sink.js';
import { RabbitMqEventSink } from './rabbitmq-event-sink.js';

/** Nest token of the `EventSink[]` the publisher feeds. */
export const EVENT_SINKS = Symbol('EVENT_SINKS');

/** A sink per configured broker; none when the bus is off. Called once, at start-up, so it says there how NATS confirms an event. */
export function eventSinksFor(config: RuntreeConfig): EventSink[] {
  const names = busNames(config.busPrefix);
  if (config.natsUrl !== undefined) new Logger('EventPublisher').log(natsPublicationMode(config.natsJetStream, names.eventSubject('>')));
  return [
    ...(config.natsUrl !== undefined ? [new NatsEventSink(config.natsUrl, names.publisherCheckpointStream, { jetStream: config.natsJetStream })] : []),
    ...(config.rabbitmqUrl !== undefined ? [new RabbitMqEventSink(config.rabbitmqUrl, names.rabbitmqEventsExchange)] : []),
  ];
}

function natsPublicationMode(jetStream: boolean, eventSubjects: string): string {
  return jetStream
    ? `NATS events are published through JetStream: each counts as published once a stream on ${eventSubjects} has stored it`
    : 'NATS events are published with core NATS: each counts as published once the server has it (RUNTREE_NATS_JETSTREAM=true waits for JetStream to store it)';
}
