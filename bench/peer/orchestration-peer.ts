/**
 * The orchestration section's workloads on an engine a user might pick instead of Runtree (DBOS,
 * BullMQ flows), each figure beside Runtree's from the same run. One driver for every such peer.
 */
import type { Latencies } from '../orchestration/await-scenarios.js';
import { ORCHESTRATION_SIZES, type OrchestrationSizes } from '../orchestration/sizes.js';
import { chainTree, treeRuns, wideTree, type TreeShape } from '../orchestration/tree-shapes.js';
import { repeat } from '../support/repeat.js';
import type { BenchContext, BenchTarget } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { resolveSizes } from '../support/sizes.js';
import { runtreeOverPeer, type ComparedWorkload } from './runtree-ratios.js';

/** A tree the peer built; only the peer knows what is inside. */
export interface PeerTree {
  readonly shape: TreeShape;
}

/** What a peer does for each workload, in its own calls. Every method checks its own result and throws on a short one. */
export interface OrchestrationPeer<Tree extends PeerTree> {
  /** As printed, e.g. `DBOS`. */
  readonly name: string;
  /** Its figures' keys start with `peer.<key>.`. */
  readonly key: string;
  /** The peer's calls each figure times, for the labels, e.g. `cancelWorkflow(cancelChildren)`. */
  readonly calls: { readonly spawn: string; readonly cancel: string; readonly collect: string; readonly await: string };
  /** Goals from the performance issue for "Runtree ÷ this peer", by figure name (e.g. `cancelWideTree`). */
  readonly ratioTargets: Readonly<Partial<Record<RatioFigure, BenchTarget>>>;
  /** At most this many await samples per run, when each one costs a poll interval. */
  readonly awaitRunsCap?: number;
  /** Children created per second by `callers` callers, each under its own parent, for `durationMs`. */
  spawnRate(callers: number, durationMs: number): Promise<number>;
  /** Builds the tree with all its runs running (or waiting), untimed, `concurrency` creations at a time where the peer allows. */
  buildTree(shape: TreeShape, concurrency: number): Promise<Tree>;
  /** Milliseconds to cancel (or remove) the whole tree; then frees it. */
  cancelTree(tree: Tree): Promise<number>;
  /** Milliseconds to read the whole tree back. */
  collectTree(tree: Tree): Promise<number>;
  /** Milliseconds to read the whole tree back with each run's steps, where the peer records steps. */
  collectTreeWithSteps?(tree: Tree): Promise<number>;
  dropTree(tree: Tree): Promise<void>;
  /** `runs` runs awaited one at a time by one waiter: ms from the run's completion to the waiter's wake-up. */
  awaitOneWaiter(runs: number): Promise<Latencies>;
}

type RatioFigure = 'spawnSequential' | 'spawnConcurrent' | 'cancelWideTree' | 'cancelChainTree' | 'collectTree' | 'collectTreeWithSteps' | 'awaitOneWaiterP99';

/** The orchestration section's figure each peer figure is compared with (collect with steps against Runtree's collect, which includes the journal). */
const RUNTREE_FIGURE: Record<RatioFigure, string> = {
  spawnSequential: 'orchestration.spawnSequential',
  spawnConcurrent: 'orchestration.spawnConcurrent',
  cancelWideTree: 'orchestration.cancelWideTree',
  cancelChainTree: 'orchestration.cancelChainTree',
  collectTree: 'orchestration.collectTree',
  collectTreeWithSteps: 'orchestration.collectTree',
  awaitOneWaiterP99: 'orchestration.awaitOneWaiterP99',
};

/** The orchestration section's sizes (its flags, e.g. `--tree-runs`, set both), so both measure the same workload. */
export function peerOrchestrationSizes(context: BenchContext): OrchestrationSizes {
  return resolveSizes(ORCHESTRATION_SIZES, context);
}

/** Every workload on `peer`, each a phase of its own (one that fails fails only its figure), then the ratios to Runtree. */
export async function measureOrchestrationPeer<Tree extends PeerTree>(peer: OrchestrationPeer<Tree>, context: BenchContext, run: SectionRun): Promise<void> {
  const { runs, warmups, progress } = context;
  const sizes = peerOrchestrationSizes(context);
  const durationMs = sizes['spawn-ms'];
  const wide = wideTree(sizes['tree-runs'], sizes['tree-depth']);
  const chain = chainTree(sizes['tree-runs'], sizes['chain-depth']);
  const key = (figure: RatioFigure | 'awaitOneWaiterP50') => `${peer.key}.${figure}`;
  const phase = (figure: string, measure: () => Promise<void>) => run.phase(`${peer.name} ${figure}`, measure);

  for (const [figure, callers] of [['spawnSequential', 1], ['spawnConcurrent', sizes.callers]] as const) {
    await phase(figure, async () => {
      progress(`${peer.name}: spawn, ${callers} caller${callers === 1 ? '' : 's'}, ${durationMs} ms per run`);
      const samples = await repeat(runs, warmups, () => peer.spawnRate(callers, durationMs));
      run.add({ key: key(figure), label: `${peer.name} spawn (${peer.calls.spawn}), ${callers} caller${callers === 1 ? '' : 's'}`, unit: 'spawns/s', samples });
    });
  }

  for (const [figure, shape, depth] of [['cancelWideTree', wide, sizes['tree-depth']], ['cancelChainTree', chain, sizes['chain-depth']]] as const) {
    await phase(figure, async () => {
      progress(`${peer.name}: cancel, ${treeRuns(shape)} runs, depth ${depth} (each tree built just before, untimed)`);
      const samples = await repeat(runs, warmups, async () => peer.cancelTree(await peer.buildTree(shape, sizes.callers)));
      run.add({ key: key(figure), label: `${peer.name} cancel (${peer.calls.cancel}), ${treeRuns(shape)} runs, depth ${depth}`, unit: 'ms', samples });
    });
  }

  await phase('collectTree', async () => {
    progress(`${peer.name}: collect, ${treeRuns(wide)}-run tree, depth ${sizes['tree-depth']}`);
    const tree = await peer.buildTree(wide, sizes.callers);
    try {
      const samples = await repeat(runs, warmups, () => peer.collectTree(tree));
      run.add({ key: key('collectTree'), label: `${peer.name} collect (${peer.calls.collect}), ${treeRuns(wide)}-run tree`, unit: 'ms', samples });
      const withSteps = peer.collectTreeWithSteps?.bind(peer);
      if (withSteps !== undefined) {
        const stepSamples = await repeat(runs, warmups, () => withSteps(tree));
        run.add({ key: key('collectTreeWithSteps'), label: `${peer.name} collect with every run's steps, ${treeRuns(wide)}-run tree`, unit: 'ms', samples: stepSamples });
      }
    } finally {
      await peer.dropTree(tree);
    }
  });

  await phase('awaitOneWaiter', async () => {
    const awaited = Math.min(sizes['await-runs'], peer.awaitRunsCap ?? Number.POSITIVE_INFINITY);
    progress(`${peer.name}: await, 1 waiter, ${awaited} runs one after the other`);
    const latencies = await repeat(runs, warmups, () => peer.awaitOneWaiter(awaited));
    const label = `${peer.name} await wake-up (${peer.calls.await}), 1 waiter`;
    run.add({ key: key('awaitOneWaiterP50'), label: `${label}, p50`, unit: 'ms', samples: latencies.map((latency) => latency.p50) });
    run.add({ key: key('awaitOneWaiterP99'), label: `${label}, p99`, unit: 'ms', samples: latencies.map((latency) => latency.p99) });
  });

  addRatios(peer, context, run, sizes.callers);
}

const ratioWorkloads = (callers: number): Record<RatioFigure, string> => ({
  spawnSequential: 'spawn, 1 caller (spawns/s)',
  spawnConcurrent: `spawn, ${callers} callers (spawns/s)`,
  cancelWideTree: 'cancel of the wide tree (time)',
  cancelChainTree: 'cancel of the chain (time)',
  collectTree: 'collect of the tree (time; Runtree with its journal)',
  collectTreeWithSteps: 'collect of the tree with steps (time; Runtree with its journal)',
  awaitOneWaiterP99: 'await wake-up p99, 1 waiter (time)',
});

function addRatios<Tree extends PeerTree>(peer: OrchestrationPeer<Tree>, context: BenchContext, run: SectionRun, callers: number): void {
  const workloads = ratioWorkloads(callers);
  const compared: ComparedWorkload[] = (Object.keys(RUNTREE_FIGURE) as RatioFigure[])
    .filter((figure) => figure !== 'collectTreeWithSteps' || peer.collectTreeWithSteps !== undefined)
    .map((figure) => ({
      runtreeKey: RUNTREE_FIGURE[figure],
      peerKey: `${run.keyPrefix}.${peer.key}.${figure}`,
      ratioKey: `${run.keyPrefix}.${peer.key}.runtreeRatio.${figure}`,
      workload: workloads[figure],
      ...(peer.ratioTargets[figure] === undefined ? {} : { target: peer.ratioTargets[figure] }),
    }));
  const measured = new Map([...context.figures, ...run.figures.map((figure) => [figure.key, figure] as const)]);
  const { ratios, missing } = runtreeOverPeer(peer.name, compared, measured);
  run.figures.push(...ratios);
  if (missing.length > 0) run.notes.push(`Runtree ÷ ${peer.name} not computed for ${missing.join(', ')}: not measured in this run.`);
}
