import { parseArgs } from 'node:util';

export interface StoreBenchConfig {
  readonly quick: boolean;
  /** Recorded runs per figure; the table shows their median, min and max. */
  readonly runs: number;
  /** Unrecorded runs before them. */
  readonly warmups: number;
  /** How long each raw fsync run writes. */
  readonly fsyncMs: number;
  /** Size of each raw write and of each event's JSON data. */
  readonly eventBytes: number;
  readonly singleWriterEvents: number;
  readonly concurrentWriters: number;
  /** Total over all concurrent writers. */
  readonly concurrentEvents: number;
  readonly batchSize: number;
  /** Events per batched run; the readAll figure reads a log of this many events. */
  readonly batchedEvents: number;
  /** Parent of the temporary data directory (default the OS temp dir). */
  readonly dataDir: string | undefined;
  readonly keepData: boolean;
}

type Sizes = Omit<StoreBenchConfig, 'quick' | 'dataDir' | 'keepData'>;

const FULL: Sizes = {
  runs: 5,
  warmups: 1,
  fsyncMs: 2000,
  eventBytes: 300,
  singleWriterEvents: 5000,
  concurrentWriters: 64,
  concurrentEvents: 32_000,
  batchSize: 100,
  batchedEvents: 100_000,
};

// Well under 30 s on a disk doing ~5k fsyncs/s.
const QUICK: Sizes = {
  ...FULL,
  runs: 3,
  fsyncMs: 500,
  singleWriterEvents: 1000,
  concurrentEvents: 6400,
  batchedEvents: 20_000,
};

const SIZE_FLAGS: Record<keyof Sizes, string> = {
  runs: 'runs',
  warmups: 'warmups',
  fsyncMs: 'fsync-ms',
  eventBytes: 'event-bytes',
  singleWriterEvents: 'single-events',
  concurrentWriters: 'writers',
  concurrentEvents: 'concurrent-events',
  batchSize: 'batch-size',
  batchedEvents: 'batched-events',
};

export const USAGE = `Usage: npm run bench:store -- [--quick] [--data-dir DIR] [--keep-data] [--help]
  sizes (defaults: full / --quick):
${(Object.keys(SIZE_FLAGS) as (keyof Sizes)[])
  .map((key) => `    --${SIZE_FLAGS[key].padEnd(18)} ${FULL[key]} / ${QUICK[key]}`)
  .join('\n')}`;

/** Reads the command line; returns undefined when only help was asked for. */
export function readStoreBenchConfig(argv: readonly string[]): StoreBenchConfig | undefined {
  const sizeOptions = Object.fromEntries(Object.values(SIZE_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      ...sizeOptions,
    },
    strict: true,
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const defaults = quick ? QUICK : FULL;
  const given: Record<string, string | boolean | undefined> = values;
  const sizes = Object.fromEntries(
    (Object.keys(SIZE_FLAGS) as (keyof Sizes)[]).map((key) => {
      const flag = SIZE_FLAGS[key];
      const text = given[flag];
      return [key, typeof text === 'string' ? positiveInteger(flag, text, key === 'warmups') : defaults[key]];
    }),
  ) as unknown as Sizes;
  const dataDir = values['data-dir'];
  return { ...sizes, quick, dataDir: typeof dataDir === 'string' ? dataDir : undefined, keepData: values['keep-data'] === true };
}

function positiveInteger(flag: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new Error(`--${flag} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${text}"`);
  }
  return value;
}
