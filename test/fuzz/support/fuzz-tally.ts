import fc from 'fast-check';

/**
 * The seed every property runs with, so CI replays the same cases (a failure is reproducible);
 * `RUNTREE_FUZZ_SEED=<n>` explores others, `RUNTREE_FUZZ_RUNS=<factor>` runs more cases each.
 */
export const fuzzSeed = Number(process.env.RUNTREE_FUZZ_SEED ?? 20_261_125);
const runsFactor = Number(process.env.RUNTREE_FUZZ_RUNS ?? 1);

interface PropertyCount {
  readonly group: string;
  readonly cases: number;
  readonly failed: boolean;
}

/** Runs a suite's properties and counts the cases each ran, for the suite's one-line summary. */
export class FuzzTally {
  private readonly counts: PropertyCount[] = [];

  constructor(
    private readonly suite: string,
    /** What the groups are, e.g. `routes`. */
    private readonly groupNoun: string,
  ) {}

  /** Checks `property` on `runs` generated cases; fails with fast-check's report (seed, path, shrunk counterexample). */
  async check<T>(group: string, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<unknown>, runs: number): Promise<void> {
    const details = await fc.check(fc.asyncProperty(arbitrary, async (value) => void (await property(value))), { numRuns: Math.max(1, Math.round(runs * runsFactor)), seed: fuzzSeed, endOnFailure: false });
    this.counts.push({ group, cases: details.numRuns, failed: details.failed });
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${fc.defaultReportMessage(details) ?? `${group}: property failed`}\n${cause}`);
    }
  }

  get cases(): number {
    return this.counts.reduce((sum, count) => sum + count.cases, 0);
  }

  /** e.g. `fuzz http: 2,400 cases over 24 routes, 0 failures (seed 20261125)`. */
  summary(): string {
    const groups = new Set(this.counts.map((count) => count.group)).size;
    const failures = this.counts.filter((count) => count.failed).length;
    return `fuzz ${this.suite}: ${this.cases.toLocaleString('en-US')} cases over ${groups} ${this.groupNoun}, ${failures} failures (seed ${fuzzSeed})`;
  }

  print(): void {
    console.log(this.summary());
  }
}
