import { parseArgs } from 'node:util';
import type { SizeTable } from './sizes.js';

export interface BenchOptions {
  readonly quick: boolean;
  /** Ids of the sections to run, in the bench's order. */
  readonly only: readonly string[];
  readonly runs: number;
  readonly warmups: number;
  /** Parent of the temporary data directory (default the OS temp dir). */
  readonly dataDir: string | undefined;
  readonly keepData: boolean;
  /** Sizes given as flags, by flag name. */
  readonly sizeOverrides: ReadonlyMap<string, number>;
}

/** What the command line needs to know about a section. */
export interface SectionFlags {
  readonly id: string;
  readonly sizes?: SizeTable;
}

const RUNS = { full: 5, quick: 3 };
const WARMUPS = 1;

/** Reads the command line; `help` when only the usage was asked for. Throws an error naming the flag on bad input. */
export function parseBenchArgs(argv: readonly string[], sections: readonly SectionFlags[]): BenchOptions | 'help' {
  const sizeFlags = allSizeFlags(sections);
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      warmups: { type: 'string' },
      'data-dir': { type: 'string' },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      ...Object.fromEntries([...sizeFlags.keys()].map((flag) => [flag, { type: 'string' as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) return 'help';
  const given = values as Record<string, string | boolean | undefined>;
  const quick = values.quick === true;
  const sizeOverrides = new Map<string, number>();
  for (const [flag, size] of sizeFlags) {
    const text = given[flag];
    if (typeof text === 'string') sizeOverrides.set(flag, integerFlag(flag, text, size.zeroAllowed === true));
  }
  return {
    quick,
    only: sectionIds(values.only, sections),
    runs: values.runs === undefined ? (quick ? RUNS.quick : RUNS.full) : integerFlag('runs', values.runs, false),
    warmups: values.warmups === undefined ? WARMUPS : integerFlag('warmups', values.warmups, true),
    dataDir: values['data-dir'],
    keepData: values['keep-data'] === true,
    sizeOverrides,
  };
}

export function benchUsage(sections: readonly SectionFlags[]): string {
  const ids = [...new Set(sections.map((section) => section.id))];
  const sizeLines = [...allSizeFlags(sections)].map(([flag, size]) => `    --${flag.padEnd(22)} ${String(size.full).padStart(9)} / ${String(size.quick).padEnd(9)} ${size.help}`);
  return [
    'Usage: npm run bench -- [--quick] [--only SECTIONS] [--runs N] [--warmups N] [--data-dir DIR] [--keep-data] [--help] [sizes]',
    `  --quick           smaller sizes and ${RUNS.quick} runs instead of ${RUNS.full}: minutes, not tens of minutes (history alone about 4)`,
    `  --only            comma-separated sections to run, of: ${ids.join(', ')}`,
    `  --runs N          recorded runs per figure (default ${RUNS.full}, quick ${RUNS.quick}); the table shows median, min and max`,
    `  --warmups N       unrecorded runs before them (default ${WARMUPS})`,
    '  --data-dir DIR    where the stores are written (default the OS temp dir): the disk being measured',
    '  --keep-data       keep the data directory afterwards',
    '  sizes (defaults: full / --quick):',
    ...sizeLines,
  ].join('\n');
}

function allSizeFlags(sections: readonly SectionFlags[]): Map<string, SizeTable[string]> {
  const flags = new Map<string, SizeTable[string]>();
  for (const section of sections) {
    for (const [flag, size] of Object.entries(section.sizes ?? {})) {
      const known = flags.get(flag);
      // Two sections may share a table (the same section on two stores), never a flag name with different meanings.
      if (known !== undefined && known !== size) throw new Error(`size flag --${flag} is defined by two sections`);
      flags.set(flag, size);
    }
  }
  return flags;
}

function sectionIds(only: string | undefined, sections: readonly SectionFlags[]): string[] {
  const known = [...new Set(sections.map((section) => section.id))];
  if (only === undefined) return known;
  const wanted = only.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (wanted.length === 0) throw new Error('--only needs at least one section name');
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${known.join(', ')})`);
  return known.filter((id) => wanted.includes(id));
}

function integerFlag(flag: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw new Error(`--${flag} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, got "${text}"`);
  }
  return value;
}
