import type { Orchestrator } from '@runtree/orchestration';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { cpuMicrosSince } from '../support/cpu.js';
import { perSecond } from '../support/stats.js';

export interface SpawnScenario {
  readonly operation: 'spawn' | 'delegate';
  /** Each caller has its own parent run and spawns under it, one spawn after the other. */
  readonly callers: number;
  /** Callers start no new call after this long: the run takes the same time however slow the machine. */
  readonly durationMs: number;
}

export interface SpawnRun {
  readonly perSecond: number;
  /** Process CPU (user + system) per child created, in µs: everything the process did for it, the projection included. */
  readonly cpuMicrosPerSpawn: number;
}

/** Children created per second through the facade, each call awaited (durable, and in the read models) before the caller's next. */
export async function measureSpawns(orchestrator: Orchestrator, scenario: SpawnScenario): Promise<SpawnRun> {
  const parents: string[] = [];
  for (const _ of range(scenario.callers)) parents.push((await orchestrator.startRun({ kind: 'bench_parent' })).runId);
  let created = 0;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const deadline = started + scenario.durationMs;
  await forEachConcurrently(parents, scenario.callers, async (parentRunId) => {
    while (performance.now() < deadline) {
      if (scenario.operation === 'spawn') await orchestrator.spawn(parentRunId, { kind: 'bench_child' });
      else await orchestrator.delegate(parentRunId, { step: created });
      created += 1;
    }
  });
  return { perSecond: perSecond(created, performance.now() - started), cpuMicrosPerSpawn: cpuMicrosSince(cpuAtStart) / created };
}
