import type { NatsConnection } from '@nats-io/transport-node';

/** JetStream's default duplicate window (2 min), in nanoseconds as its API takes it. */
const DUPLICATE_WINDOW_NS = 120_000_000_000;

async function jetStreamApi<T>(connection: NatsConnection, subject: string, request: object): Promise<T> {
  const reply = (await connection.request(`$JS.API.${subject}`, JSON.stringify(request), { timeout: 5_000 })).json<T & { error?: { description: string } }>();
  if (reply.error !== undefined) throw new Error(`JetStream ${subject}: ${reply.error.description}`);
  return reply;
}

/**
 * A file-backed JetStream stream capturing `subjects`, as a deployment keeps Runtree's events: it
 * survives a server restart and drops a message whose `Nats-Msg-Id` it already holds (within the window).
 * `limits`: more of the stream's configuration as JetStream's API names it (e.g. `max_msgs`, `discard`).
 */
export async function createJetStream(connection: NatsConnection, name: string, subjects: string[], limits: Record<string, unknown> = {}): Promise<void> {
  await jetStreamApi(connection, `STREAM.CREATE.${name}`, { name, subjects, storage: 'file', duplicate_window: DUPLICATE_WINDOW_NS, ...limits });
}

export async function deleteJetStream(connection: NatsConnection, name: string): Promise<void> {
  await jetStreamApi(connection, `STREAM.DELETE.${name}`, {});
}

export async function jetStreamMessageCount(connection: NatsConnection, name: string): Promise<number> {
  return (await jetStreamApi<{ state: { messages: number } }>(connection, `STREAM.INFO.${name}`, {})).state.messages;
}

/** Every message of the stream, decoded as JSON, in stream order. */
export async function readJetStream<T>(connection: NatsConnection, name: string): Promise<T[]> {
  const count = await jetStreamMessageCount(connection, name);
  const messages: T[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const { message } = await jetStreamApi<{ message: { data: string } }>(connection, `STREAM.MSG.GET.${name}`, { seq });
    messages.push(JSON.parse(Buffer.from(message.data, 'base64').toString()) as T);
  }
  return messages;
}
