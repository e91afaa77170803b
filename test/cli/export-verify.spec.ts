import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFixtureStore, type FixtureStore, type FixtureTrees } from './support/fixture-store.js';
import { readJournal } from './support/journal-lines.js';
import { ensureCliBuilt, runCli } from './support/run-cli.js';

describe('runtree journal export | verify', () => {
  let fixture: FixtureStore;

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
  }, 240_000);

  afterAll(() => fixture?.dispose());

  const exportTo = async (runId: string, name: string, ...options: string[]): Promise<string> => {
    const out = join(fixture.directory, name);
    const result = await runCli(['journal', 'export', runId, '--sqlite', fixture.path, '--out', out, ...options]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return out;
  };

  it.each<keyof FixtureTrees>(['deep', 'wide', 'mixed', 'finished'])('exports the %s tree and verifies it', async (shape) => {
    const file = await exportTo(fixture.trees[shape], `${shape}.ndjson`, '--tree');
    const verified = await runCli(['journal', 'verify', file]);
    expect(verified.stdout).toMatch(/^OK .*: \d+ events in \d+ streams; codecs, hash chains, revisions, lineage and the end record hold\n$/);
    expect(verified.code).toBe(0);
  });

  it('writes one event a line, in commit order, every stream of the tree, then the end record', async () => {
    const { lines, end } = await readJournal(await exportTo(fixture.trees.deep, 'deep-lines.ndjson', '--tree'));
    expect(Object.keys(lines[0]).sort()).toEqual(['created', 'data', 'eventId', 'hash', 'metadata', 'position', 'revision', 'stream', 'type']);
    expect(lines.every((line) => line.hash === line.metadata.hash)).toBe(true);
    const commits = lines.map((line) => BigInt(line.position.split('/')[0]));
    expect(commits).toEqual([...commits].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(lines.map((line) => line.stream)).size).toBe(5); // root and 4 levels
    expect(end?.end).toMatchObject({ runId: fixture.trees.deep, tree: true, eventCount: lines.length });
  });

  it("without --tree exports the run's own stream only, and that verifies too (even for a child run)", async () => {
    const { mixed } = fixture;
    const file = await exportTo(mixed.writer, 'writer.ndjson');
    const { lines } = await readJournal(file);
    expect(new Set(lines.map((line) => line.stream))).toEqual(new Set([`run-${mixed.writer}`]));
    expect((await runCli(['journal', 'verify', file])).code).toBe(0);
  });

  it('writes to stdout without --out', async () => {
    const result = await runCli(['journal', 'export', fixture.trees.finished, '--sqlite', fixture.path]);
    expect(result.code).toBe(0);
    const file = await readFile(await exportTo(fixture.trees.finished, 'finished-stdout.ndjson'), 'utf8');
    expect(result.stdout).toBe(file);
  });

  it('reads the store the service is configured for when --sqlite is not given', async () => {
    const result = await runCli(['journal', 'verify', fixture.trees.mixed, '--tree'], { RUNTREE_STORE: 'sqlite', RUNTREE_SQLITE_PATH: fixture.path });
    expect(result.stdout).toMatch(new RegExp(`^OK store:${fixture.trees.mixed}: \\d+ events in 5 streams`));
    expect(result.code).toBe(0);
  });

  it.each([
    [['journal', 'export', 'no-such-run', '--sqlite', '<store>'], /^runtree: run no-such-run not found in the store\n$/],
    [['journal', 'export', 'x', '--sqlite', '/nowhere/runtree.sqlite'], /^runtree: no SQLite store at \/nowhere\/runtree.sqlite\n$/],
    [['journal', 'export'], /^runtree: missing the run id\n$/],
    [['journal', 'verify', 'no-such-run', '--sqlite', '<store>'], /^runtree: run no-such-run not found in the store\n$/],
    [['journal', 'verify', 'missing.ndjson'], /^runtree: cannot read missing.ndjson: ENOENT/],
    [['journal', 'export', 'x', '--frobnicate'], /^runtree: Unknown option '--frobnicate'.*\(usage: runtree journal export/],
    [['journal', 'export', 'x'], /^runtree: bad configuration: RUNTREE_STORE/],
    [['journal', 'rewrite'], /^runtree: unknown command journal rewrite/],
  ])('refuses %j with one line and exit status 2', async (args, message) => {
    const env = args.length === 3 && args[2] === 'x' ? { RUNTREE_STORE: 'mongo' } : {};
    const result = await runCli(args.map((arg) => (arg === '<store>' ? fixture.path : arg)), env);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
  });
});
