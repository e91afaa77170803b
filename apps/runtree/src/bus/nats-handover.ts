import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';

/** How the NATS sink hands one event over on a connection, and learns that NATS has taken it. */
export interface NatsHandover {
  send(subject: string, payload: string, messageHeaders: MsgHdrs): void;
  /** Resolves once NATS has taken everything sent so far; rejects if it may lack some of it. */
  taken(): Promise<void>;
}

/** Core NATS: a plain publish, taken once a round trip to the server shows the server got it. */
export function coreHandover(connection: NatsConnection): NatsHandover {
  return {
    send: (subject, payload, messageHeaders) => connection.publish(subject, payload, { headers: messageHeaders }),
    taken: () => connection.flush(),
  };
}
