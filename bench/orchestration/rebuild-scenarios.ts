import { perSecond } from '../support/stats.js';
import { collectGarbage } from '../support/heap.js';
import type { BenchOrchestrator } from './bench-orchestrator.js';

/** Events per second of one `rebuild()` of the whole log; refuses a rebuild that ends with other read models. */
export async function measureRebuild({ orchestrator, readStore }: BenchOrchestrator, events: number, runs: number): Promise<number> {
  collectGarbage();
  const started = performance.now();
  await orchestrator.rebuild();
  const elapsed = performance.now() - started;
  const rebuilt = await readStore.runCount();
  if (rebuilt !== runs) throw new Error(`rebuild() ended with ${rebuilt} runs, expected ${runs}`);
  return perSecond(events, elapsed);
}
