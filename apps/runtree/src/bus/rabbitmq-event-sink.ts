import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { JournalEntry } from '@runtree/orchestration';
import { BROKER_RECONNECT_WAIT_MS } from './bus-transports.js';
import { CONNECT_TIMEOUT_MS, publishedContentType, type EventSink } from './event-sink.js';
import { eventTraceHeaders } from './event-trace-headers.js';

/**
 * Publishes each event, persistent, to a durable topic exchange with the event's subject as routing
 * key, on a confirm channel: `flush` waits for the broker's confirms.
 */
export class RabbitMqEventSink implements EventSink {
  readonly name = 'rabbitmq';
  private connection: AmqpConnectionManager | undefined;
  private channel: ChannelWrapper | undefined;
  private unconfirmed: Promise<unknown>[] = [];

  constructor(
    private readonly url: string,
    private readonly exchange: string,
  ) {}

  /**
   * Needs no `onLost`: the connection manager reconnects by itself, keeps the events not sent yet for
   * the new connection, and rejects those left unconfirmed, so `flush` reports every one the broker may lack.
   */
  async open(): Promise<void> {
    // No Nagle delay: each publish is a small write, and `flush` waits for its confirm.
    const connection = amqp.connect([this.url], { connectionOptions: { noDelay: true }, reconnectTimeInSeconds: BROKER_RECONNECT_WAIT_MS / 1_000 });
    this.connection = connection;
    this.channel = connection.createChannel({
      json: false,
      confirm: true,
      // Runs on every (re)connection, so the exchange exists whenever events are sent.
      setup: (channel: ConfirmChannel) => channel.assertExchange(this.exchange, 'topic', { durable: true }).then(() => undefined),
    });
    try {
      await within(this.channel.waitForConnect(), CONNECT_TIMEOUT_MS, `RabbitMQ did not accept a connection within ${CONNECT_TIMEOUT_MS} ms`);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  publish(subject: string, event: JournalEntry): void {
    if (this.channel === undefined) throw new Error('The RabbitMQ event sink is not open');
    const confirmed = this.channel.publish(this.exchange, subject, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.eventId,
      type: event.type,
      contentType: publishedContentType,
      // The trace of the command that wrote the event, for the worker that picks it up.
      headers: eventTraceHeaders(event),
    });
    // Observed now so a refusal is not an unhandled rejection; `flush` reports it.
    confirmed.catch(() => undefined);
    this.unconfirmed.push(confirmed);
  }

  async flush(): Promise<void> {
    const pending = this.unconfirmed;
    this.unconfirmed = [];
    await Promise.all(pending);
  }

  async isAlive(): Promise<boolean> {
    return this.connection?.isConnected() ?? false;
  }

  async close(): Promise<void> {
    const { channel, connection } = this;
    this.channel = undefined;
    this.connection = undefined;
    this.unconfirmed = [];
    await channel?.close();
    await connection?.close();
  }
}

/** amqp-connection-manager retries forever; a first connection that does not come is an error here. */
async function within<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
