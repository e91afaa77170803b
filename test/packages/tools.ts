import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repo } from '../support/build-once.js';

const run = promisify(execFile);
const TOOL_TIMEOUT_MS = 300_000;

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program in `cwd` and returns how it ended; NODE_OPTIONS is cleared so the child does not
 * inherit jest's ESM flags.
 */
export async function runTool(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A tool of the repository's own node_modules (tsc, nest), run with node so its location needs no execute bit. */
export function repoBin(name: 'tsc' | 'nest'): string {
  return join(repo, 'node_modules', name === 'tsc' ? 'typescript/bin/tsc' : '@nestjs/cli/bin/nest.js');
}

/** Fails with the tool's output when it did not exit 0, so a broken step says why. */
export function succeeded(result: ToolResult, what: string): ToolResult {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}
