import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { chunk, makeEvents } from '../store/bench-events.js';
import { perSecond } from '../support/stats.js';
import { ownedPgPool, type OwnedPgPool } from './owned-pg-pool.js';

/** Emmett's PostgreSQL event store with the pool it runs on (the whole-log read needs the pool). */
export interface EmmettStore {
  readonly store: PostgresEventStore;
  readonly pool: ReturnType<typeof dumbo>;
  /** The node-postgres pool under both, owned by the bench (never one from dumbo's shared cache). */
  readonly pgPool: OwnedPgPool;
  /** Empties the event tables, so every run starts from an empty store as the store section's fresh file does. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

export async function openEmmettStore(connectionString: string): Promise<EmmettStore> {
  const pgPool = ownedPgPool(connectionString);
  // Emmett and dumbo get the pool as an ambient one: they use it and never end it, so no pool is left
  // behind (with idle connections and no 'error' listener) when the bench drops the database.
  const pool = dumbo({ connectionString, pool: pgPool.pool });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { dumbo: pool } });
  try {
    await store.schema.migrate();
  } catch (error) {
    await pgPool.end();
    throw error;
  }
  return {
    store,
    pool,
    pgPool,
    truncate: () => store.schema.dangerous.truncate({ resetSequences: true }),
    close: async () => {
      await store.close();
      await pgPool.end();
    },
  };
}

export interface EmmettAppendScenario {
  readonly writers: number;
  readonly eventsPerWriter: number;
  readonly eventsPerCall: number;
  readonly eventBytes: number;
}

/**
 * The store section's append scenario on Emmett: `writers` concurrent writers, each appending
 * its own stream with exact expected versions, each call awaited before the writer's next.
 * Events are built before the clock starts. Returns events per second.
 */
export async function runEmmettAppendScenario(store: PostgresEventStore, scenario: EmmettAppendScenario): Promise<number> {
  const callsPerWriter = Array.from({ length: scenario.writers }, (_, writer) =>
    chunk(
      // makeEvents builds each event's data as an object; Emmett assigns its own event ids.
      makeEvents(`bench-writer-${writer}`, scenario.eventsPerWriter, scenario.eventBytes).map(({ type, data }) => ({ type, data: data as Record<string, unknown> })),
      scenario.eventsPerCall,
    ),
  );
  const started = performance.now();
  await Promise.all(
    callsPerWriter.map(async (calls, writer) => {
      // Emmett numbers a stream from 1: version 0 is "no stream yet".
      let expectedStreamVersion = 0n;
      for (const events of calls) {
        const result = await store.appendToStream(`bench-writer-${writer}`, events, { expectedStreamVersion });
        expectedStreamVersion = result.nextExpectedStreamVersion;
      }
    }),
  );
  return perSecond(scenario.writers * scenario.eventsPerWriter, performance.now() - started);
}

/** The whole log in one query, the call Emmett's consumers page with (its EventStore has no readAll); events per second. */
export async function measureEmmettReadAll(pool: EmmettStore['pool'], expectedEvents: number): Promise<number> {
  const started = performance.now();
  const { messages } = await readMessagesBatch(pool.execute, { from: 0n, batchSize: expectedEvents + 1 });
  const elapsed = performance.now() - started;
  // A short (or long) read would make the figure meaningless: refuse it.
  if (messages.length !== expectedEvents) throw new Error(`Emmett's read returned ${messages.length} events, expected ${expectedEvents}`);
  return perSecond(messages.length, elapsed);
}
