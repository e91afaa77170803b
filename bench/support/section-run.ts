import { benchFigure, type FigureSpec } from './figure.js';
import type { BenchContext, BenchFigure } from './section.js';

/** What a section has measured so far; a phase that fails is noted and the others still run. */
export class SectionRun {
  readonly figures: BenchFigure[] = [];
  readonly notes: string[] = [];
  readonly failures: string[] = [];

  constructor(
    private readonly context: BenchContext,
    readonly keyPrefix: string,
  ) {}

  async phase(name: string, measure: () => Promise<void>): Promise<void> {
    try {
      await measure();
    } catch (error) {
      this.context.progress(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** `key` is the figure's name inside the section. */
  add(spec: FigureSpec): void {
    this.figures.push(benchFigure({ ...spec, key: `${this.keyPrefix}.${spec.key}` }));
  }
}
