import type { ParseArgsConfig } from 'node:util';
import { UsageError, type ExitCode } from './cli-error.js';

export type OptionValues = { readonly [name: string]: string | boolean | undefined };

/** One subcommand: its usage line, its options (node:util parseArgs), and what it does. */
export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, positionals: readonly string[]): Promise<ExitCode>;
}

/** The options every command that reads the store takes. */
export const storeOption = { sqlite: { type: 'string' } } as const;

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** Exactly one positional argument, named in the error when it is missing. */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`missing ${what}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
  return positionals[0];
}
