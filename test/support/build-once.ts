import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repo = resolve(import.meta.dirname, '../..');
const BUILD_TIMEOUT_MS = 180_000;

/** A build the tests run: the command, the file it writes last, and the sources it reads. */
export interface Build {
  /** Names the lock file: one build of each name at a time across jest workers. */
  readonly name: string;
  readonly command: readonly string[];
  /** Absolute path of the built entry point; it is stale when any source is newer. */
  readonly main: string;
  /** Folders and files, relative to the repository. */
  readonly sources: readonly string[];
}

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

function isStale(build: Build): boolean {
  try {
    const built = statSync(build.main).mtimeMs;
    return build.sources.some((source) => newestChange(join(repo, source)) > built);
  } catch {
    return true;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Builds unless the output is newer than every source. Spec files run in parallel workers: one of
 * them builds (under a lock file), the others wait for it and use its output.
 */
export async function ensureBuilt(build: Build): Promise<void> {
  const lockPath = join(tmpdir(), `runtree-${build.name}-build-${Buffer.from(repo).toString('hex').slice(-32)}.lock`);
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  while (isStale(build)) {
    let lock: number;
    try {
      lock = openSync(lockPath, 'wx');
    } catch {
      // Another worker builds; a lock older than a build can take was left by a killed one.
      if (Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > BUILD_TIMEOUT_MS) rmSync(lockPath, { force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test worker to build ${build.name}`);
      await sleep(250);
      continue;
    }
    try {
      if (isStale(build)) await run('npx', build.command, { cwd: repo });
    } finally {
      closeSync(lock);
      rmSync(lockPath, { force: true });
    }
  }
}
