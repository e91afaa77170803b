import type { BenchFigure, BenchTarget } from './section.js';
import { summarize } from './stats.js';

export interface FigureSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  /** One value per recorded run. */
  readonly samples: readonly number[];
  readonly target?: BenchTarget;
  /** Another figure of this run: the ratio is this median ÷ its median. */
  readonly ratioTo?: { readonly name: string; readonly median: number };
}

/** A figure from its recorded runs: median, min and max, with its ratio and target. */
export function benchFigure(spec: FigureSpec): BenchFigure {
  const summary = summarize(spec.samples);
  return {
    key: spec.key,
    label: spec.label,
    unit: spec.unit,
    ...summary,
    ...(spec.target === undefined ? {} : { target: spec.target }),
    ...(spec.ratioTo === undefined ? {} : { ratio: { to: spec.ratioTo.name, value: summary.median / spec.ratioTo.median } }),
  };
}
