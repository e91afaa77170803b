import type { BenchFigure } from '../support/section.js';

/** What one part of the service section measured. */
export interface SectionPart {
  readonly figures: readonly BenchFigure[];
  readonly notes: readonly string[];
}

/** A count that must stay 0 (refused or lost requests), totalled over the recorded runs, so one bad run fails it. */
export function failuresFigure(key: string, label: string, total: number): BenchFigure {
  return { key, label, unit: 'requests', median: total, min: total, max: total, samples: [total], target: { kind: 'atMost', value: 0 } };
}
