import type { BenchContext } from './section.js';

/** One size of a section, settable as `--<flag> N`. */
export interface SizeFlag {
  readonly full: number;
  readonly quick: number;
  readonly help: string;
  /** Whether 0 is a valid value (default: sizes are positive). */
  readonly zeroAllowed?: boolean;
}

/** A section's sizes by flag name; flag names are unique across sections. */
export type SizeTable<Flag extends string = string> = { readonly [F in Flag]: SizeFlag };

/** The sizes a section runs with: the command line's, else the quick or full default. */
export function resolveSizes<Flag extends string>(
  table: SizeTable<Flag>,
  context: Pick<BenchContext, 'quick' | 'sizeOverrides'>,
): Record<Flag, number> {
  const entries = (Object.keys(table) as Flag[]).map((flag) => [flag, context.sizeOverrides.get(flag) ?? (context.quick ? table[flag].quick : table[flag].full)]);
  return Object.fromEntries(entries) as Record<Flag, number>;
}
