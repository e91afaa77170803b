import type { Orchestrator } from '@runtree/orchestration';
import { forEachConcurrently, range } from '../support/concurrently.js';
import { perSecond } from '../support/stats.js';

export interface SpawnScenario {
  readonly operation: 'spawn' | 'delegate';
  /** Each caller has its own parent run and spawns under it, one spawn after the other. */
  readonly callers: number;
  /** Over all callers. */
  readonly spawns: number;
}

/** Children created per second through the facade, each call awaited (durable, and in the read models) before the caller's next. */
export async function measureSpawns(orchestrator: Orchestrator, scenario: SpawnScenario): Promise<number> {
  const parents = [];
  for (const _ of range(scenario.callers)) parents.push((await orchestrator.startRun({ kind: 'bench_parent' })).runId);
  const perCaller = Math.ceil(scenario.spawns / scenario.callers);
  const started = performance.now();
  await forEachConcurrently(parents, scenario.callers, async (parentRunId) => {
    for (let child = 0; child < perCaller; child += 1) {
      if (scenario.operation === 'spawn') await orchestrator.spawn(parentRunId, { kind: 'bench_child' });
      else await orchestrator.delegate(parentRunId, { step: child });
    }
  });
  return perSecond(perCaller * scenario.callers, performance.now() - started);
}
