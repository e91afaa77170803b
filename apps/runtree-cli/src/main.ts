#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { exitCodes, UsageError, type ExitCode } from './cli-error.js';
import type { Command } from './command.js';
import { exportCommand } from './export.command.js';
import { replayCommand } from './replay.command.js';
import { runsListCommand } from './runs-list.command.js';
import { treeCommand } from './tree.command.js';
import { verifyCommand } from './verify.command.js';

const commands: readonly Command[] = [exportCommand, verifyCommand, replayCommand, treeCommand, runsListCommand];

/** Each command's usage, then what it does indented below it: usages differ too much in length for one column. */
function usage(): string {
  return [
    'usage:',
    ...commands.flatMap((command) => [`  ${command.usage}`, `      ${command.summary}`]),
    '',
    'The store is the one the service is configured for (RUNTREE_STORE, RUNTREE_SQLITE_PATH,',
    'EVENTSTORE_CONNECTION_STRING), or the SQLite file given with --sqlite.',
    'Exit status: 0 ok, 1 verification failed or differences found, 2 usage or input error.',
  ].join('\n');
}

/** `journal export`, `journal verify` and `runs list` are two words; the others one. */
function findCommand(args: readonly string[]): { command: Command; rest: string[] } {
  const twoWords = commands.find((command) => command.name === args.slice(0, 2).join(' '));
  if (twoWords !== undefined) return { command: twoWords, rest: args.slice(2) };
  const oneWord = commands.find((command) => command.name === args[0]);
  if (oneWord !== undefined) return { command: oneWord, rest: args.slice(1) };
  throw new UsageError(args.length === 0 ? 'no command given (runtree --help lists them)' : `unknown command ${args.slice(0, 2).join(' ')} (runtree --help lists them)`);
}

async function main(args: readonly string[]): Promise<ExitCode> {
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    console.log(usage());
    return exitCodes.ok;
  }
  const { command, rest } = findCommand(args);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (usage: ${command.usage})`);
  }
  if (parsed.values.help === true) {
    console.log(`usage: ${command.usage}\n  ${command.summary}`);
    return exitCodes.ok;
  }
  return command.run(parsed.values, parsed.positionals);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Every failure is one line: a usage mistake, unreadable input, or a store that cannot be reached.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`runtree: ${message}`);
    process.exitCode = exitCodes.usage;
  },
);
