import type { BenchFigure, BenchTarget } from '../support/section.js';

/** A workload Runtree and a peer both ran: Runtree's figure key (from an earlier section) and the peer's. */
export interface ComparedWorkload {
  readonly runtreeKey: string;
  readonly peerKey: string;
  readonly ratioKey: string;
  /** What was compared, e.g. `durable single-event appends (1 writer)`. */
  readonly workload: string;
  readonly target?: BenchTarget;
}

/**
 * "Runtree ÷ <peer>" for each workload whose two figures this run measured: the ratio of the medians,
 * with min and max from the extremes (Runtree's lowest over the peer's highest and the reverse). For a
 * rate above 1 means Runtree did more; for a time below 1 means Runtree took less.
 * Returns the ratios and the figure keys left out because this run did not measure them.
 */
export function runtreeOverPeer(
  peer: string,
  compared: readonly ComparedWorkload[],
  figures: ReadonlyMap<string, BenchFigure>,
): { readonly ratios: BenchFigure[]; readonly missing: string[] } {
  const ratios: BenchFigure[] = [];
  const missing: string[] = [];
  for (const workload of compared) {
    const runtree = figures.get(workload.runtreeKey);
    const other = figures.get(workload.peerKey);
    if (runtree === undefined || other === undefined) {
      missing.push(runtree === undefined ? workload.runtreeKey : workload.peerKey);
      continue;
    }
    const median = runtree.median / other.median;
    ratios.push({
      key: workload.ratioKey,
      label: `Runtree ÷ ${peer}, ${workload.workload}`,
      unit: '×',
      median,
      min: runtree.min / other.max,
      max: runtree.max / other.min,
      samples: [median],
      ...(workload.target === undefined ? {} : { target: workload.target }),
    });
  }
  return { ratios, missing };
}
