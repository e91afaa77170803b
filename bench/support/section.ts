import type { DataDir } from './data-dir.js';
import type { Summary } from './stats.js';

/** What every section of `npm run bench` is given. */
export interface BenchContext {
  /** `--quick`: smaller sizes, fewer runs; the whole bench stays under 2 minutes. */
  readonly quick: boolean;
  /** Recorded runs per figure (median, min and max over them). */
  readonly runs: number;
  /** Unrecorded runs before them. */
  readonly warmups: number;
  /** A private directory on the disk being measured; removed after the bench. */
  readonly dataDir: DataDir;
  /** Progress on stderr, so stdout carries only the report. */
  readonly progress: (message: string) => void;
  /** Figures measured earlier in this run, by key (e.g. `store.appendOneWriter`), for ratios. */
  readonly figures: ReadonlyMap<string, BenchFigure>;
}

/** A goal from the performance issue, checked against a figure's median. */
export interface BenchTarget {
  /** `atLeast`: median ≥ value (rates); `atMost`: median ≤ value (times, bytes). */
  readonly kind: 'atLeast' | 'atMost';
  readonly value: number;
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
}

/** One part of the bench: store, peer, orchestration, service. */
export type BenchSection = (context: BenchContext) => Promise<BenchSectionResult>;

/** Whether a figure meets its target; undefined when it has none. */
export function meetsTarget(figure: BenchFigure): boolean | undefined {
  if (figure.target === undefined) return undefined;
  return figure.target.kind === 'atLeast' ? figure.median >= figure.target.value : figure.median <= figure.target.value;
}
