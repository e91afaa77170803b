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

  async open(onLost: (reason: Error) => void): Promise<void> {
    // No reconnection: the client drops what is published while it reconnects, and a flush after the
    // reconnection would still succeed, so the checkpoint would pass events the server never got.
    // A lost connection ends the publisher's pass instead, which starts again from the checkpoint.
    const connection = await connect({ servers: [this.url], name: this.clientName, reconnect: false, timeout: CONNECT_TIMEOUT_MS });
    this.connection = connection;
    void connection.closed().then((error) => {
      if (this.connection !== connection) return; // closed on purpose
      this.connection = undefined;
      onLost(error ?? new Error('The NATS connection closed'));
    });
  }

  publish(subject: string, event: JournalEntry): void {
    const messageHeaders = headers();
    messageHeaders.set('Nats-Msg-Id', event.eventId);
    this.opened().publish(subject, JSON.stringify(event), { headers: messageHeaders });
  }

  /** A round trip to the server: everything published before it has reached the server. */
  flush(): Promise<void> {
    const connection = this.opened();
    // The client leaves a flush pending forever when the connection closes under it.
    const lost = connection.closed().then(() => Promise.reject(new Error('The NATS connection closed before the server took every event')));
    return Promise.race([connection.flush(), lost]);
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
