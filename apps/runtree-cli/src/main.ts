#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { exitCodes, UsageError, type ExitCode } from './cli-error.js';
import type { Command } from './command.js';
import { commandHelp, groupHelp, overallHelp } from './cli-help.js';
import { cliVersion } from './cli-version.js';
import { exportCommand } from './export.command.js';
import { replayCommand } from './replay.command.js';
import { runsListCommand } from './runs-list.command.js';
import { treeCommand } from './tree.command.js';
import { verifyCommand } from './verify.command.js';

const commands: readonly Command[] = [exportCommand, verifyCommand, replayCommand, treeCommand, runsListCommand];

/** `journal export`, `journal verify` and `runs list` are two words; the others one. */
function findCommand(args: readonly string[]): { command: Command; rest: string[] } {
  const twoWords = commands.find((command) => command.name === args.slice(0, 2).join(' '));
  if (twoWords !== undefined) return { command: twoWords, rest: args.slice(2) };
  const oneWord = commands.find((command) => command.name === args[0]);
  if (oneWord !== undefined) return { command: oneWord, rest: args.slice(1) };
  throw new UsageError(args.length === 0 ? 'no command given (runtree --help lists them)' : `unknown command ${args.slice(0, 2).join(' ')} (runtree --help lists them)`);
}

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

async function main(args: readonly string[]): Promise<ExitCode> {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    console.log(cliVersion());
    return exitCodes.ok;
  }
  if (isHelp(args[0])) {
    console.log(overallHelp(commands));
    return exitCodes.ok;
  }
  // `runtree journal --help`: a first word that only groups commands.
  const group = args.length === 2 && isHelp(args[1]) ? groupHelp(commands, args[0]) : undefined;
  if (group !== undefined) {
    console.log(group);
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
    console.log(commandHelp(command));
    return exitCodes.ok;
  }
  return command.run(parsed.values, parsed.positionals);
}

// A reader that stops early (`runtree journal export … | head`) closes the pipe: stop quietly, as `git log | head` does.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(exitCodes.ok);
});

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
