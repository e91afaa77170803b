import { describe, expect, it } from '@jest/globals';
import type { BenchFigure } from '../support/section.js';
import { summarize } from '../support/stats.js';
import { runtreeOverPeer, type ComparedWorkload } from './runtree-ratios.js';

const rate = (key: string, samples: number[]): BenchFigure => ({ key, label: key, unit: 'events/s', ...summarize(samples) });

const oneWriter: ComparedWorkload = {
  runtreeKey: 'store.appendOneWriter',
  peerKey: 'peer.appendOneWriter',
  ratioKey: 'peer.runtreeRatioOneWriter',
  workload: 'durable single-event appends (1 writer)',
  target: { kind: 'atLeast', value: 2 },
};

describe('Runtree ÷ peer', () => {
  it('is the ratio of the medians, bounded by the worst and best pairing of the runs, with the workload target', () => {
    const figures = new Map([
      ['store.appendOneWriter', rate('store.appendOneWriter', [6000, 8000, 7000])],
      ['peer.appendOneWriter', rate('peer.appendOneWriter', [400, 500, 600])],
    ]);

    const { ratios, missing } = runtreeOverPeer('Emmett', [oneWriter], figures);

    expect(missing).toEqual([]);
    expect(ratios).toEqual([
      {
        key: 'peer.runtreeRatioOneWriter',
        label: 'Runtree ÷ Emmett, durable single-event appends (1 writer)',
        unit: '×',
        median: 14,
        min: 10,
        max: 20,
        samples: [14],
        target: { kind: 'atLeast', value: 2 },
      },
    ]);
  });

  it('names the figure it lacks instead of inventing a ratio when the store section did not run', () => {
    const figures = new Map([['peer.appendOneWriter', rate('peer.appendOneWriter', [500])]]);

    const { ratios, missing } = runtreeOverPeer('Emmett', [oneWriter, { ...oneWriter, runtreeKey: 'store.readAll', peerKey: 'peer.readAll', ratioKey: 'r' }], figures);

    expect(ratios).toEqual([]);
    expect(missing).toEqual(['store.appendOneWriter', 'store.readAll']);
  });
});
