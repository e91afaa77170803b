import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
export const CLI_MAIN = join(repo, 'dist/apps/runtree-cli/src/main.js');
/** What the CLI's build reads: a change to any of it makes the built CLI stale. */
const SOURCES = ['apps/runtree-cli/src', 'apps/runtree/src/config.ts', 'libs/orchestration/src', 'libs/event-store/src', 'libs/read-store/src'];
/** Spec files run in parallel workers; one of them builds, the others wait for it. */
const BUILD_LOCK = join(tmpdir(), `runtree-cli-build-${Buffer.from(repo).toString('hex').slice(-32)}.lock`);
const BUILD_TIMEOUT_MS = 180_000;

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

function isStale(): boolean {
  try {
    const built = statSync(CLI_MAIN).mtimeMs;
    return SOURCES.some((source) => newestChange(join(repo, source)) > built);
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Builds the CLI (`nest build runtree-cli`) unless dist already holds a build newer than its sources. */
export async function ensureCliBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (isStale()) {
    let lock: number;
    try {
      lock = openSync(BUILD_LOCK, 'wx');
    } catch {
      // Another worker builds; a lock older than a build can take was left by a killed one.
      if (Date.now() - statSync(BUILD_LOCK, { throwIfNoEntry: false })!.mtimeMs > BUILD_TIMEOUT_MS) rmSync(BUILD_LOCK, { force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test worker to build the CLI');
      await sleep(250);
      continue;
    }
    try {
      if (isStale()) await run('npx', ['nest', 'build', 'runtree-cli'], { cwd: repo });
    } finally {
      closeSync(lock);
      rmSync(BUILD_LOCK, { force: true });
    }
  }
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
