/** The request/reply operations of the bus: the message pattern is `<prefix>.<operation>`. */
export const busOperations = [
  'run.start',
  'run.spawn',
  'run.delegate',
  'run.cancel',
  'run.complete',
  'run.fail',
  'step.start',
  'step.complete',
  'step.fail',
  'run.status',
  'run.collect',
  'run.children',
  'run.await',
  'run.list',
  'session.open',
  'session.close',
  'thread.start',
  'thread.close',
] as const;

export type BusOperation = (typeof busOperations)[number];

/** Every name the bus uses on the brokers, derived from the configured prefix so instances of one deployment meet. */
export interface BusNames {
  pattern(operation: BusOperation): string;
  /** NATS queue group: each command reaches one instance of the group. */
  readonly natsQueueGroup: string;
  /** Durable RabbitMQ queue the instances consume commands from. */
  readonly rabbitmqCommandQueue: string;
  /** Durable RabbitMQ topic exchange events are published to. */
  readonly rabbitmqEventsExchange: string;
  /** NATS subject and RabbitMQ routing key of an event type. */
  eventSubject(eventType: string): string;
  /** Where the publisher keeps its progress; outside Runtree's `run-`/`session-`/`thread-` streams. */
  readonly publisherCheckpointStream: string;
}

export function busNames(prefix: string): BusNames {
  return {
    pattern: (operation) => `${prefix}.${operation}`,
    natsQueueGroup: `${prefix}-commands`,
    rabbitmqCommandQueue: `${prefix}.commands`,
    rabbitmqEventsExchange: `${prefix}.events`,
    eventSubject: (eventType) => `${prefix}.events.${eventType}`,
    publisherCheckpointStream: `runtree-publisher-${prefix}`,
  };
}
