import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { JournalEntry } from '@runtree/orchestration';
import { CONNECT_TIMEOUT_MS, type EventSink } from './event-sink.js';
import { eventTraceHeaders } from './event-trace-headers.js';
import { JetStreamHandover } from './jetstream-handover.js';
import { coreHandover, type NatsHandover } from './nats-handover.js';

export interface NatsEventSinkOptions {
  /** An event is taken once a JetStream stream stored it (RUNTREE_NATS_JETSTREAM), not once the server got it. */
  readonly jetStream?: boolean;
  /** JetStream mode: how long one acknowledgement may take. */
  readonly ackTimeoutMs?: number;
}

/**
 * Publishes each event on its subject. `Nats-Msg-Id` carries the event id, so a JetStream stream
 * that captures `<prefix>.events.>` drops the redeliveries of at-least-once publication; `traceparent`
 * carries the trace of the command that wrote the event.
 */
export class NatsEventSink implements EventSink {
  readonly name = 'nats';
  private connection: NatsConnection | undefined;
  private handover: NatsHandover | undefined;

  constructor(
    private readonly url: string,
    private readonly clientName: string,
    private readonly options: NatsEventSinkOptions = {},
  ) {}

  async open(onLost: (reason: Error) => void): Promise<void> {
    // No reconnection: the client drops what is published while it reconnects, and a flush after the
    // reconnection would still succeed, so the checkpoint would pass events the server never got.
    // A lost connection ends the publisher's pass instead, which starts again from the checkpoint.
    const connection = await connect({ servers: [this.url], name: this.clientName, reconnect: false, timeout: CONNECT_TIMEOUT_MS });
    this.connection = connection;
    // One per connection: what a lost connection had pending is retried from the checkpoint, not carried over.
    this.handover = this.options.jetStream ? new JetStreamHandover(connection, this.options.ackTimeoutMs) : coreHandover(connection);
    void connection.closed().then((error) => {
      if (this.connection !== connection) return; // closed on purpose
      this.connection = undefined;
      onLost(error ?? new Error('The NATS connection closed'));
    });
  }

  publish(subject: string, event: JournalEntry): void {
    const messageHeaders = headers();
    messageHeaders.set('Nats-Msg-Id', event.eventId);
    for (const [name, value] of Object.entries(eventTraceHeaders(event))) messageHeaders.set(name, value);
    this.opened().handover.send(subject, JSON.stringify(event), messageHeaders);
  }

  flush(): Promise<void> {
    const { connection, handover } = this.opened();
    // The client leaves a flush pending forever when the connection closes under it.
    const lost = connection.closed().then(() => Promise.reject(new Error('The NATS connection closed before NATS took every event')));
    return Promise.race([handover.taken(), lost]);
  }

  async isAlive(): Promise<boolean> {
    if (this.connection === undefined || this.connection.isClosed()) return false;
    await this.connection.flush();
    return true;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined && !connection.isClosed()) await connection.close();
  }

  private opened(): { connection: NatsConnection; handover: NatsHandover } {
    if (this.connection === undefined || this.handover === undefined) throw new Error('The NATS event sink is not open');
    return { connection: this.connection, handover: this.handover };
  }
}
