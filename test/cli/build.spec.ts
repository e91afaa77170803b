import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from '../support/build-once.js';
import { startOrchestrator } from '../support/orchestrator-targets.js';
import { runTool, succeeded } from '../packages/tools.js';

/**
 * `npm run build` and then the CLI, as the README's walkthrough does. It builds a copy of the
 * sources (sharing node_modules), since building here would delete the dist/ other specs run.
 */
const SOURCES = ['package.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'apps', 'libs', 'bin'];
const BUILD_TIMEOUT_MS = 300_000;
/** npx and a Node start-up each time: seconds on a loaded 2-core machine. */
const RUN_TIMEOUT_MS = 120_000;
/** Over the 64 KiB a pipe buffers, so the CLI is still writing when `head` goes away. */
const LARGE_INPUT = { notes: 'x'.repeat(300_000) };

describe('the CLI after npm run build', () => {
  let clone: string;
  let storePath: string;
  let runId: string;
  const runtree = (args: readonly string[]) => runTool('npx', ['runtree', ...args], clone);

  beforeAll(async () => {
    clone = await mkdtemp(join(tmpdir(), 'runtree-build-'));
    for (const source of SOURCES) {
      await cp(join(repo, source), join(clone, source), { recursive: true, filter: (path) => !/\/(dist|node_modules)(\/|$)/.test(path.slice(repo.length)) });
    }
    await symlink(join(repo, 'node_modules'), join(clone, 'node_modules'));
    storePath = join(clone, 'runtree.sqlite');
    const started = await startOrchestrator({ store: { kind: 'sqlite', path: storePath, synchronous: 'OFF' } });
    try {
      runId = (await started.orchestrator.startRun({ kind: 'research', input: LARGE_INPUT })).runId;
    } finally {
      await started.close();
    }
    succeeded(await runTool('npm', ['run', 'build'], clone), 'npm run build');
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    if (clone !== undefined) await rm(clone, { recursive: true, force: true });
  });

  it('runs as npx runtree and prints its version', async () => {
    const result = succeeded(await runtree(['--version']), 'runtree --version');
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  }, RUN_TIMEOUT_MS);

  it.each([
    [['--help'], ['runtree journal export <runId>', 'runtree tree <runId>', 'runtree runs list', 'runtree --version']],
    [['journal', '--help'], ['runtree journal export <runId>', 'runtree journal verify <FILE | runId>']],
    [['runs', '--help'], ['runtree runs list [FILTERS]']],
    [['journal', 'export', '--help'], ['usage: runtree journal export <runId>']],
    [['tree', '-h'], ['usage: runtree tree <runId>']],
  ])('answers %j with the usage', async (args, expected) => {
    const result = succeeded(await runtree(args), `runtree ${args.join(' ')}`);
    for (const text of expected) expect(result.stdout).toContain(text);
    expect(result.stderr).toBe('');
  }, RUN_TIMEOUT_MS);

  it('says nothing when its reader stops early (export piped into head)', async () => {
    const result = await runTool('sh', ['-c', `npx runtree journal export ${runId} --sqlite ${storePath} | head -c 100`], clone);
    expect(result.stdout).toHaveLength(100);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, RUN_TIMEOUT_MS);
});
