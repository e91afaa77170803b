import { describe, expect, it } from '@jest/globals';
import { treeRuns } from '../orchestration/tree-shapes.js';
import { createDataDir } from '../support/data-dir.js';
import type { BenchContext, BenchFigure } from '../support/section.js';
import { SectionRun } from '../support/section-run.js';
import { summarize } from '../support/stats.js';
import { measureOrchestrationPeer, type OrchestrationPeer, type PeerTree } from './orchestration-peer.js';

const figure = (key: string, samples: number[], unit: string): BenchFigure => ({ key, label: key, unit, ...summarize(samples) });

function benchContext(figures: BenchFigure[]): BenchContext {
  return {
    quick: true,
    runs: 1,
    warmups: 0,
    dataDir: createDataDir('runtree-peer-spec'),
    keepData: false,
    progress: () => undefined,
    figures: new Map(figures.map((entry) => [entry.key, entry])),
    sizeOverrides: new Map([
      ['spawn-ms', 5],
      ['callers', 4],
      ['tree-runs', 30],
      ['chain-depth', 10],
      ['await-runs', 50],
    ]),
  };
}

/** A peer whose every figure is known, whose cancel of the chain fails as a server that went away would. */
function fakePeer(): OrchestrationPeer<PeerTree> & { awaitedRuns: number[]; builtRuns: number[] } {
  const awaitedRuns: number[] = [];
  const builtRuns: number[] = [];
  return {
    name: 'Fake',
    key: 'fake',
    calls: { spawn: 'add', cancel: 'remove', collect: 'list', await: 'wait' },
    ratioTargets: { cancelWideTree: { kind: 'atMost', value: 0.5 } },
    awaitRunsCap: 7,
    awaitedRuns,
    builtRuns,
    spawnRate: async (callers) => callers * 100,
    buildTree: async (shape) => {
      builtRuns.push(treeRuns(shape));
      return { shape };
    },
    cancelTree: async (tree) => {
      if (tree.shape.length === 10) throw new Error('connection lost');
      return 40;
    },
    collectTree: async () => 25,
    dropTree: async () => undefined,
    awaitOneWaiter: async (runs) => {
      awaitedRuns.push(runs);
      return { p50: 1, p99: 4 };
    },
  };
}

describe('a peer running the orchestration workloads', () => {
  const runtree = [
    figure('orchestration.spawnSequential', [500], 'spawns/s'),
    figure('orchestration.spawnConcurrent', [2000], 'spawns/s'),
    figure('orchestration.cancelWideTree', [10], 'ms'),
    figure('orchestration.cancelChainTree', [10], 'ms'),
    figure('orchestration.collectTree', [50], 'ms'),
    figure('orchestration.awaitOneWaiterP99', [0.2], 'ms'),
  ];

  it("gives each figure beside Runtree's, and a failing workload fails only its own figure", async () => {
    const context = benchContext(runtree);
    const run = new SectionRun(context, 'peer');
    const peer = fakePeer();
    try {
      await measureOrchestrationPeer(peer, context, run);
    } finally {
      context.dataDir.remove();
    }

    const byKey = new Map(run.figures.map((entry) => [entry.key, entry]));
    expect(run.failures).toEqual(['Fake cancelChainTree: connection lost']);
    expect(byKey.get('peer.fake.spawnSequential')?.median).toBe(100);
    expect(byKey.get('peer.fake.spawnConcurrent')?.median).toBe(400);
    expect(byKey.has('peer.fake.cancelChainTree')).toBe(false);
    expect(byKey.get('peer.fake.collectTree')?.median).toBe(25);
    expect(byKey.get('peer.fake.awaitOneWaiterP99')?.median).toBe(4);

    expect(byKey.get('peer.fake.runtreeRatio.spawnConcurrent')).toMatchObject({ median: 5, unit: '×', label: 'Runtree ÷ Fake, spawn, 4 callers (spawns/s)' });
    expect(byKey.get('peer.fake.runtreeRatio.cancelWideTree')).toMatchObject({ median: 0.25, target: { kind: 'atMost', value: 0.5 } });
    expect(byKey.get('peer.fake.runtreeRatio.awaitOneWaiterP99')?.median).toBeCloseTo(0.05);
    expect(byKey.has('peer.fake.runtreeRatio.cancelChainTree')).toBe(false);
    expect(run.notes.join('\n')).toContain('Runtree ÷ Fake not computed for peer.fake.cancelChainTree');
  });

  it('runs the orchestration sizes, and no more await samples than the peer allows', async () => {
    const context = benchContext(runtree);
    const peer = fakePeer();
    try {
      await measureOrchestrationPeer(peer, context, new SectionRun(context, 'peer'));
    } finally {
      context.dataDir.remove();
    }
    // Two cancelled trees (wide, chain) and the collected one, each of --tree-runs runs.
    expect(peer.builtRuns).toEqual([30, 30, 30]);
    expect(peer.awaitedRuns).toEqual([7]);
  });

  it('names the Runtree figures it lacks when the orchestration section did not run', async () => {
    const context = benchContext([]);
    const run = new SectionRun(context, 'peer');
    try {
      await measureOrchestrationPeer(fakePeer(), context, run);
    } finally {
      context.dataDir.remove();
    }
    expect(run.figures.some((entry) => entry.key.includes('runtreeRatio'))).toBe(false);
    expect(run.notes.join('\n')).toContain('orchestration.spawnSequential');
  });
});
