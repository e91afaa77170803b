import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Orchestrator, StoreOptions } from '@runtree/orchestration';
import { startOrchestrator, type StartedOrchestrator } from '../../support/orchestrator-targets.js';
import { buildTree, chainSpec, mixedStatus, wideSpec } from '../../support/trees.js';

/** The root run ids of the trees the fixture holds, by shape. */
export interface FixtureTrees {
  /** root → 4 levels of single children, the leaf completed. */
  readonly deep: string;
  /** root with 8 children in every status. */
  readonly wide: string;
  /** sessions, threads, a delegation, steps and a cancelled subtree; see `buildMixedTree`. */
  readonly mixed: string;
  /** A completed root whose completed child is linked before the root finished. */
  readonly finished: string;
}

export interface FixtureStore {
  readonly directory: string;
  readonly path: string;
  readonly store: StoreOptions;
  readonly trees: FixtureTrees;
  readonly mixed: MixedTree;
  /** Boots an orchestrator on the file again (the fixture's own one is closed). */
  open(): Promise<StartedOrchestrator>;
  dispose(): Promise<void>;
}

/** Ids of the mixed tree's runs, for tests that point at one of them. */
export interface MixedTree {
  readonly root: string;
  readonly searcher: string;
  readonly writer: string;
  readonly citer: string;
  readonly reviewer: string;
}

/**
 * research (in a session; steps) ─┬─ search (spawned, inherits the session, starts a thread; a failed step; completed)
 *                                 ├─ write (spawned, opens its own session; cancelled with its subtree) ── cite
 *                                 └─ review (delegated with a task; still running)
 */
export async function buildMixedTree(orchestrator: Orchestrator): Promise<MixedTree> {
  const session = await orchestrator.openSession({ metadata: { team: 'audit' } });
  const root = await orchestrator.startRun({ kind: 'research', sessionId: session.sessionId, input: { question: 'q' } });
  const plan = await orchestrator.startStep(root.runId, { name: 'plan', kind: 'llm' });
  await orchestrator.completeStep(root.runId, plan.stepId, { plan: ['search', 'write'] });
  const searcher = await orchestrator.spawn(root.runId, { kind: 'search', session: 'inherit', thread: { start: { name: 'search' } } });
  const writer = await orchestrator.spawn(root.runId, { kind: 'write', session: { open: { metadata: { owner: 'writer' } }, stopOnCancel: true } });
  const citer = await orchestrator.spawn(writer.run.runId, { kind: 'cite' });
  const reviewer = await orchestrator.delegate(root.runId, { review: 'draft' }, { kind: 'review' });
  const lookup = await orchestrator.startStep(searcher.run.runId, { name: 'lookup', kind: 'tool' });
  await orchestrator.failStep(searcher.run.runId, lookup.stepId, { message: 'timeout' });
  await orchestrator.completeRun(searcher.run.runId, { hits: 3 });
  await orchestrator.startStep(root.runId, { name: 'draft', kind: 'llm' });
  await orchestrator.cancel(writer.run.runId, 'no longer needed');
  return { root: root.runId, searcher: searcher.run.runId, writer: writer.run.runId, citer: citer.run.runId, reviewer: reviewer.runId };
}

/** A temp SQLite file holding trees of several shapes, written through the orchestrator as the service writes them. */
export async function createFixtureStore(): Promise<FixtureStore> {
  const directory = await mkdtemp(join(tmpdir(), 'runtree-cli-'));
  const path = join(directory, 'runtree.sqlite');
  // Durability does not matter for a fixture; speed does.
  const store: StoreOptions = { kind: 'sqlite', path, synchronous: 'OFF' };
  const started = await startOrchestrator({ store });
  try {
    const { orchestrator } = started;
    const deep = await buildTree(orchestrator, chainSpec(4, { settle: 'completed' }));
    const wide = await buildTree(orchestrator, wideSpec(8, mixedStatus));
    const mixed = await buildMixedTree(orchestrator);
    const finished = await buildTree(orchestrator, { settle: 'completed', children: [{ settle: 'completed' }] });
    const trees = { deep: deep.runId, wide: wide.runId, mixed: mixed.root, finished: finished.runId };
    return {
      directory,
      path,
      store,
      trees,
      mixed,
      open: () => startOrchestrator({ store }),
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  } finally {
    await started.close();
  }
}
