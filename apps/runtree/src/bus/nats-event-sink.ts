import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { JournalEntry } from '@runtree/orchestration';
import { CONNECT_TIMEOUT_MS, type EventSink } from './event-sink.js';

/**
 * Publishes each event on its subject. `Nats-Msg-Id` carries the event id, so a JetStream stream
 * that captures `<prefix>.events.>` drops the redeliveries of at-least-once publication.
 */
export class NatsEventSink implements EventSink {
  readonly name = 'nats';
  private connection: NatsConnection | undefined;

  constructor(
    private readonly url: string,
    private readonly clientName: string,
  ) {}

  async open(): Promise<void> {
    // Reconnects forever once connected: a broker restart must not stop publication. A first connection
    // that does not come fails soon, so the publisher retries (and shuts down) without a long wait.
    this.connection = await connect({ servers: [this.url], name: this.clientName, maxReconnectAttempts: -1, timeout: CONNECT_TIMEOUT_MS });
  }

  publish(subject: string, event: JournalEntry): void {
    const messageHeaders = headers();
    messageHeaders.set('Nats-Msg-Id', event.eventId);
    this.opened().publish(subject, JSON.stringify(event), { headers: messageHeaders });
  }

  /** A round trip to the server: everything published before it has reached the server. */
  flush(): Promise<void> {
    return this.opened().flush();
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

  private opened(): NatsConnection {
    if (this.connection === undefined) throw new Error('The NATS event sink is not open');
    return this.connection;
  }
}
