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
  'bus.operations',
] as const;

export type BusOperation = (typeof busOperations)[number];

/** `run.start` → `runStart`: the handler's method name in Nest's logs, and the operation's id in the AsyncAPI document. */
export function operationIdOf(operation: BusOperation): string {
  return operation.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase());
}

/** Every name the bus uses on the brokers, derived from the configured prefix so instances of one deployment meet. */
export interface BusNames {
  pattern(operation: BusOperation): string;
  /** NATS queue group: each command reaches one instance of the group. */
  readonly natsQueueGroup: string;
  /** Durable RabbitMQ queue the instances consume commands from. */
  readonly rabbitmqCommandQueue: string;
  /** Durable RabbitMQ topic exchange events are published to. */
  readonly rabbitmqEventsExchange: string;
  /**
   * NATS subject and RabbitMQ routing key of an event: `<prefix>.events.<EventType>.<kind>` for a run's
   * event (the run's kind as a subject token, see `kindToken`), `<prefix>.events.<EventType>` for a
   * session's or thread's.
   */
  eventSubject(eventType: string, runKind?: string): string;
  /** Where the publisher keeps its progress; outside Runtree's `run-`/`session-`/`thread-` streams. */
  readonly publisherCheckpointStream: string;
}

export function busNames(prefix: string): BusNames {
  return {
    pattern: (operation) => `${prefix}.${operation}`,
    natsQueueGroup: `${prefix}-commands`,
    rabbitmqCommandQueue: `${prefix}.commands`,
    rabbitmqEventsExchange: `${prefix}.events`,
    eventSubject: (eventType, runKind) => `${prefix}.events.${eventType}${runKind === undefined ? '' : `.${kindToken(runKind)}`}`,
    publisherCheckpointStream: `runtree-publisher-${prefix}`,
  };
}

const plainTokenByte = /^[A-Za-z0-9_-]$/;

/**
 * A kind as one subject token: kinds are free text, but a NATS token or RabbitMQ word must not hold
 * `.`, `*`, `>`, `#` or spaces. Each UTF-8 byte other than A-Z a-z 0-9 _ - is written `~XX` (hex), so
 * `code.review` is `code~2Ereview` and the usual kinds (`agent`, `web-search`) stay as they are.
 */
export function kindToken(kind: string): string {
  return [...Buffer.from(kind, 'utf8')]
    .map((byte) => {
      const character = String.fromCharCode(byte);
      return byte < 0x80 && plainTokenByte.test(character) ? character : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}
