import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, repo } from '../../support/build-once.js';

const run = promisify(execFile);
export const CLI_MAIN = join(repo, 'dist/apps/runtree-cli/src/main.js');

/** Builds the CLI (`nest build runtree-cli`) unless dist already holds a build newer than its sources. */
export function ensureCliBuilt(): Promise<void> {
  return ensureBuilt({
    name: 'cli',
    command: ['nest', 'build', 'runtree-cli'],
    main: CLI_MAIN,
    sources: ['apps/runtree-cli/src', 'apps/runtree/src/config.ts', 'libs/journal-audit/src', 'libs/orchestration/src', 'libs/event-store/src', 'libs/read-store/src'],
  });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a process; the environment names no store unless `env` does. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('RUNTREE_') && key !== 'EVENTSTORE_CONNECTION_STRING'));
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_MAIN, ...args], { cwd: repo, env: { ...baseEnv, NODE_OPTIONS: '', ...env }, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
