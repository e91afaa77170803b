import type { EventToAppend, ExpectedRevision } from '../../libs/event-store/src/port/types.js';
import { openSqliteEventStore, type GroupCommitStats, type SqliteEventStore } from '../../libs/event-store/src/sqlite/index.js';
import { cpuMicrosSince } from '../support/cpu.js';
import { perSecond } from '../support/stats.js';
import { chunk, makeEvents } from './bench-events.js';

export interface AppendRun {
  readonly eventsPerSecond: number;
  readonly appendCallsPerSecond: number;
  /** Process CPU (user + system) per appended event, in µs: what the store costs beyond the disk. */
  readonly cpuMicrosPerEvent: number;
  /** Transactions vs writes: how much group commit batched. */
  readonly groupCommit: GroupCommitStats;
}

export interface AppendScenario {
  /** A fresh store file for this run (durable default: WAL, synchronous=FULL). */
  readonly path: string;
  readonly writers: number;
  readonly eventsPerWriter: number;
  readonly eventsPerCall: number;
  readonly eventBytes: number;
}

/**
 * `writers` concurrent writers, each appending its own stream with exact expected revisions,
 * `eventsPerCall` events per call, each call awaited before the writer's next.
 * Events are built before the clock starts, so only the store is timed.
 */
export async function runAppendScenario(scenario: AppendScenario): Promise<AppendRun> {
  const callsPerWriter = Array.from({ length: scenario.writers }, (_, writer) =>
    chunk(makeEvents(`bench-writer-${writer}`, scenario.eventsPerWriter, scenario.eventBytes), scenario.eventsPerCall),
  );
  const store = openSqliteEventStore({ path: scenario.path });
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    await Promise.all(callsPerWriter.map((calls, writer) => appendInOrder(store, `bench-writer-${writer}`, calls)));
    const elapsed = performance.now() - started;
    const events = scenario.writers * scenario.eventsPerWriter;
    const calls = callsPerWriter.reduce((total, writerCalls) => total + writerCalls.length, 0);
    return {
      eventsPerSecond: perSecond(events, elapsed),
      appendCallsPerSecond: perSecond(calls, elapsed),
      cpuMicrosPerEvent: cpuMicrosSince(cpuAtStart) / events,
      groupCommit: store.stats(),
    };
  } finally {
    await store.close();
  }
}

async function appendInOrder(store: SqliteEventStore, streamName: string, calls: readonly EventToAppend[][]): Promise<void> {
  let expectedRevision: ExpectedRevision = 'no_stream';
  for (const events of calls) {
    const result = await store.appendToStream(streamName, events, { expectedRevision });
    expectedRevision = result.nextExpectedRevision;
  }
}

/** Sums the group-commit counters of several runs. */
export function totalGroupCommit(runs: readonly AppendRun[]): GroupCommitStats {
  return runs.reduce(
    (total, run) => ({ transactions: total.transactions + run.groupCommit.transactions, writes: total.writes + run.groupCommit.writes }),
    { transactions: 0, writes: 0 },
  );
}
