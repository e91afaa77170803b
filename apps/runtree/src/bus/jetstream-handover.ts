import { RequestError, TimeoutError, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { NatsHandover } from './nats-handover.js';

/** How long JetStream may take to acknowledge one publish before the sink counts the event as not stored. */
export const JETSTREAM_ACK_TIMEOUT_MS = 5_000;

/** JetStream's answer to a publish: where it stored the message (a duplicate was stored before), or why it did not. */
const PubAck = t.union([
  t.type({ error: t.type({ code: t.number, description: t.string }) }),
  t.intersection([t.type({ stream: t.string, seq: t.number }), t.partial({ duplicate: t.boolean })]),
]);

/**
 * JetStream's acknowledged publish: a request on the subject, answered by the stream that captures
 * it once the message is stored. Requests are pipelined; `taken` waits for every answer so far.
 * A refusal sticks until the connection is replaced: a later flush must not let the checkpoint pass it.
 */
export class JetStreamHandover implements NatsHandover {
  private readonly pending = new Set<Promise<void>>();
  private refusal: Error | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly ackTimeoutMs = JETSTREAM_ACK_TIMEOUT_MS,
  ) {}

  send(subject: string, payload: string, messageHeaders: MsgHdrs): void {
    // The pass is retried from the checkpoint anyway; sending more would let the stream take events after one it refused.
    if (this.refusal !== undefined) return;
    const acknowledged: Promise<void> = this.connection
      .request(subject, payload, { headers: messageHeaders, timeout: this.ackTimeoutMs })
      .then(
        (reply) => checkPubAck(subject, reply),
        (error: unknown) => Promise.reject(this.unanswered(subject, error)),
      )
      .catch((error: Error) => {
        this.refusal ??= error;
      })
      .finally(() => this.pending.delete(acknowledged));
    this.pending.add(acknowledged);
  }

  async taken(): Promise<void> {
    await Promise.all(this.pending);
    if (this.refusal !== undefined) throw this.refusal;
  }

  private unanswered(subject: string, error: unknown): Error {
    if (error instanceof RequestError && error.isNoResponders()) {
      return new Error(`No JetStream stream captures ${subject}: RUNTREE_NATS_JETSTREAM=true needs a stream on the events' subjects`);
    }
    if (error instanceof TimeoutError) return new Error(`JetStream did not acknowledge the event on ${subject} within ${this.ackTimeoutMs} ms`);
    return new Error(`The JetStream publish on ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkPubAck(subject: string, reply: Msg): void {
  let body: unknown;
  try {
    body = reply.json();
  } catch {
    body = reply.string();
  }
  const ack = PubAck.decode(body);
  if (E.isLeft(ack)) throw new Error(`The answer to the event on ${subject} is not a JetStream acknowledgement: ${reply.string().slice(0, 200)}`);
  if ('error' in ack.right) throw new Error(`JetStream refused the event on ${subject}: ${ack.right.error.description} (code ${ack.right.error.code})`);
}
