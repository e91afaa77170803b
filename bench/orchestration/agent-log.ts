import { parseStreamName, type Orchestrator } from '@runtree/orchestration';
import type { EventStore, Position } from '@runtree/event-store';
import { forEachConcurrently, range } from '../support/concurrently.js';

const CHILDREN_PER_ROOT = 4;
const STEPS_PER_RUN = 2;
const COUNT_PAGE = 10_000;

/**
 * Fills the log through the facade with agent-like work until it holds at least `events` of Runtree's
 * events: roots with spawned children, each run with completed steps, every run completed.
 * `concurrency` trees are built at a time. Returns the Runtree events the log holds.
 */
export async function fillWithAgentWork(orchestrator: Orchestrator, store: EventStore, events: number, concurrency: number): Promise<number> {
  const before = await countRuntreeEvents(store);
  await agentTree(orchestrator);
  const perTree = (await countRuntreeEvents(store)) - before;
  const trees = Math.max(0, Math.ceil((events - before) / perTree) - 1);
  await forEachConcurrently(range(trees), concurrency, () => agentTree(orchestrator));
  return countRuntreeEvents(store);
}

/** A root, its children, their steps and completions: what an agent run leaves in the journal. */
async function agentTree(orchestrator: Orchestrator): Promise<void> {
  const root = await orchestrator.startRun({ kind: 'bench_agent', input: { question: 'why is the sky blue' } });
  const children: string[] = [];
  for (const index of range(CHILDREN_PER_ROOT)) {
    children.push((await orchestrator.spawn(root.runId, { kind: 'bench_tool', input: { query: `source ${index}` } })).run.runId);
  }
  for (const runId of [...children, root.runId]) {
    for (const index of range(STEPS_PER_RUN)) {
      const step = await orchestrator.startStep(runId, { name: 'think', input: { index } });
      await orchestrator.completeStep(runId, step.stepId, { tokens: 42 });
    }
    await orchestrator.completeRun(runId, { answer: 'Rayleigh scattering' });
  }
}

/** Runtree's events in the whole log (run, session and thread streams), read in pages. */
export async function countRuntreeEvents(store: EventStore): Promise<number> {
  let count = 0;
  let from: Position | 'start' = 'start';
  for (let first = true; ; first = false) {
    const page = await store.readAll({ fromPosition: from, maxCount: COUNT_PAGE });
    // Forwards reads include `fromPosition`: skip the event the previous page ended with.
    const fresh = first ? page : page.slice(1);
    count += fresh.filter((event) => parseStreamName(event.streamName) !== undefined).length;
    if (page.length < COUNT_PAGE) return count;
    from = page[page.length - 1].position;
  }
}
