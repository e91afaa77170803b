import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { runStream, type Orchestrator } from '@runtree/orchestration';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { percentile } from '../support/stats.js';
import type { TerminalAppendClock } from './terminal-append-clock.js';

export interface Latencies {
  readonly p50: number;
  readonly p99: number;
}

export interface AwaitBench {
  readonly orchestrator: Orchestrator;
  readonly clock: TerminalAppendClock;
}

const AWAIT_TIMEOUT_MS = 60_000;

/** Runs awaited one at a time, each by one waiter: ms from the terminal append to the waiter's resolution. */
export async function awaitOneWaiter({ orchestrator, clock }: AwaitBench, runs: number): Promise<Latencies> {
  const latencies: number[] = [];
  for (const _ of range(runs)) {
    const { runId } = await orchestrator.startRun({ kind: 'bench_awaited' });
    const woken = wakeTime(orchestrator, runId);
    await nextMacrotask();
    await orchestrator.completeRun(runId, { done: true });
    latencies.push((await woken) - clock.terminalAppendedAt(runStream(runId)));
  }
  return latenciesOf(latencies);
}

/** `waiters` waiters on one run (one shared watch): each waiter's latency from the terminal append. */
export async function awaitManyWaitersOnOneRun({ orchestrator, clock }: AwaitBench, waiters: number): Promise<Latencies> {
  const { runId } = await orchestrator.startRun({ kind: 'bench_awaited' });
  const woken = range(waiters).map(() => wakeTime(orchestrator, runId));
  await nextMacrotask();
  await orchestrator.completeRun(runId, { done: true });
  const appendedAt = clock.terminalAppendedAt(runStream(runId));
  return latenciesOf((await Promise.all(woken)).map((at) => at - appendedAt));
}

/**
 * `runs` runs awaited at once (a watch each); `timed` of them completed one after the other while the
 * others still wait, each latency from its terminal append; then the rest completed together, untimed.
 */
export async function awaitManyRuns({ orchestrator, clock }: AwaitBench, runs: number, timed: number, concurrency: number): Promise<Latencies> {
  const runIds = new Array<string>(runs);
  await forEachConcurrently(range(runs), concurrency, async (index) => {
    runIds[index] = (await orchestrator.startRun({ kind: 'bench_awaited' })).runId;
  });
  const woken = runIds.map((runId) => wakeTime(orchestrator, runId));
  await nextMacrotask();
  const timedRuns = runIds.slice(0, Math.min(timed, runs));
  for (const runId of timedRuns) await orchestrator.completeRun(runId, { done: true });
  await forEachConcurrently(runIds.slice(timedRuns.length), concurrency, (runId) => orchestrator.completeRun(runId, { done: true }));
  const wokenAt = await Promise.all(woken);
  return latenciesOf(timedRuns.map((runId, index) => wokenAt[index] - clock.terminalAppendedAt(runStream(runId))));
}

/** When `await` resolved with the run completed. */
async function wakeTime(orchestrator: Orchestrator, runId: string): Promise<number> {
  const result = await orchestrator.await(runId, AWAIT_TIMEOUT_MS);
  const at = performance.now();
  if (result.status !== 'completed') throw new Error(`await of ${runId} resolved with status ${result.status}, expected completed`);
  return at;
}

function latenciesOf(samples: readonly number[]): Latencies {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
