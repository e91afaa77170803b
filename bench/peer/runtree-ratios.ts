import type { BenchFigure, BenchTarget } from '../support/section.js';

/** A workload both stores ran: the store section's figure key and the peer's. */
export interface ComparedWorkload {
  readonly runtreeKey: string;
  readonly emmettKey: string;
  readonly ratioKey: string;
  /** What was compared, e.g. `durable single-event appends (1 writer)`. */
  readonly workload: string;
  readonly target?: BenchTarget;
}

/**
 * "Runtree ÷ Emmett" for each workload whose Runtree figure this run measured: the ratio of the
 * medians, with min and max from the extremes (Runtree's worst over Emmett's best and the reverse).
 * Returns the ratios and the workloads left out because the store section did not measure them.
 */
export function runtreeOverEmmett(
  compared: readonly ComparedWorkload[],
  figures: ReadonlyMap<string, BenchFigure>,
): { readonly ratios: BenchFigure[]; readonly missing: string[] } {
  const ratios: BenchFigure[] = [];
  const missing: string[] = [];
  for (const workload of compared) {
    const runtree = figures.get(workload.runtreeKey);
    const emmett = figures.get(workload.emmettKey);
    if (runtree === undefined || emmett === undefined) {
      missing.push(runtree === undefined ? workload.runtreeKey : workload.emmettKey);
      continue;
    }
    const median = runtree.median / emmett.median;
    ratios.push({
      key: workload.ratioKey,
      label: `Runtree ÷ Emmett, ${workload.workload}`,
      unit: '×',
      median,
      min: runtree.min / emmett.max,
      max: runtree.max / emmett.min,
      samples: [median],
      ...(workload.target === undefined ? {} : { target: workload.target }),
    });
  }
  return { ratios, missing };
}
