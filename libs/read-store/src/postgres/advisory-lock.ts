import pg from 'pg';
import type { ProjectorRole } from '../port/read-store.js';

/**
 * A session-level advisory lock held on a connection of its own: held while the connection lives,
 * released by PostgreSQL when it closes (an instance that dies loses it at once). Waiting for it is
 * one blocked query, not a polling loop; an abort cancels that query.
 */
export async function acquireAdvisoryLock(config: pg.ClientConfig, key: string, signal: AbortSignal): Promise<ProjectorRole> {
  signal.throwIfAborted();
  const client = new pg.Client(config);
  let lostConnection: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (lostConnection = resolve));
  client.on('error', () => lostConnection());
  client.on('end', () => lostConnection());
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    // A waiting instance that vanished is noticed by the server, so it does not keep its place in the queue.
    await client.query("SET client_connection_check_interval = '2s'").catch(() => undefined);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
  } catch (error) {
    await client.end().catch(() => undefined);
    signal.throwIfAborted();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return {
    lost,
    release: async () => {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
