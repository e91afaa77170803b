import type { DataDir } from './data-dir.js';
import type { Summary } from './stats.js';

/** What every section of `npm run bench` is given. */
export interface BenchContext {
  /** `--quick`: smaller sizes, fewer runs: the whole bench in minutes (the history section alone about 4). */
  readonly quick: boolean;
  /** Recorded runs per figure (median, min and max over them). */
  readonly runs: number;
  /** Unrecorded runs before them. */
  readonly warmups: number;
  /** A private directory on the disk being measured; removed after the bench. */
  readonly dataDir: DataDir;
  /** `--keep-data`: a section leaves its files in the data directory instead of removing them as it goes. */
  readonly keepData: boolean;
  /** Progress on stderr, so stdout carries only the report. */
  readonly progress: (message: string) => void;
  /** The figures measured earlier in this run, by key (e.g. `store.appendOneWriter`), for ratios across sections. */
  readonly figures: ReadonlyMap<string, BenchFigure>;
  /** Sizes given on the command line (`--tree-runs 2000`), by flag; see `resolveSizes`. */
  readonly sizeOverrides: ReadonlyMap<string, number>;
}

/** A goal from the performance issue, checked against a figure's median (or its ratio, with `of: 'ratio'`). */
export interface BenchTarget {
  /** `atLeast`: value ≥ target (rates); `atMost`: value ≤ target (times, bytes). */
  readonly kind: 'atLeast' | 'atMost';
  readonly value: number;
  /** `ratio`: the goal is relative, e.g. spawns ≥ 0.7 × the raw fsync rate. Default `median`. */
  readonly of?: 'median' | 'ratio';
}

export interface BenchFigure extends Summary {
  /** Stable key in latest.json, e.g. `orchestration.spawnConcurrent`. */
  readonly key: string;
  readonly label: string;
  /** e.g. `events/s`, `ms`, `B/run`. */
  readonly unit: string;
  readonly target?: BenchTarget;
  /** Median ÷ another figure's median measured in the same run, e.g. `{ to: 'raw fsync', value: 0.89 }`. */
  readonly ratio?: { readonly to: string; readonly value: number };
}

export interface BenchSectionResult {
  readonly name: string;
  readonly figures: readonly BenchFigure[];
  /** Lines printed under the section's table (what was skipped and why, sizes used). */
  readonly notes: readonly string[];
  /** Figures that could not be measured, each with its reason; the bench then exits non-zero. */
  readonly failures?: readonly string[];
}

/** One part of the bench: store, peer, orchestration, service. */
export type BenchSection = (context: BenchContext) => Promise<BenchSectionResult>;

/** Whether a figure meets its target; undefined when it has none (or a ratio target without a ratio). */
export function meetsTarget(figure: BenchFigure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  const value = figure.target.of === 'ratio' ? figure.ratio?.value : figure.median;
  if (value === undefined) return undefined;
  return figure.target.kind === 'atLeast' ? value >= figure.target.value : value <= figure.target.value;
}
