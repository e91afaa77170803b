import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createFixtureStore, type FixtureStore } from './support/fixture-store.js';
import { ensureCliBuilt, runCli } from './support/run-cli.js';

describe('runtree tree', () => {
  let fixture: FixtureStore;
  const substrateOf = new Map<string, string>();

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
    const live = await fixture.open();
    try {
      const { root, searcher, writer, citer, reviewer } = fixture.mixed;
      for (const runId of [root, searcher, writer, citer, reviewer]) substrateOf.set(runId, (await live.orchestrator.status(runId)).substrate ?? '');
    } finally {
      await live.close();
    }
  }, 240_000);

  afterAll(() => fixture?.dispose());

  it('draws the tree indented, with status, kind, relation, substrate and age of each run', async () => {
    const { root, searcher, writer, citer, reviewer } = fixture.mixed;
    const result = await runCli(['tree', root, '--sqlite', fixture.path]);
    const age = '  age \\d+(ms|\\.\\ds|m \\d\\ds)';
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${root}  running  research  root${age}$`)),
      expect.stringMatching(new RegExp(`^├─ ${searcher}  completed  search  spawned on ${substrateOf.get(searcher)}${age}$`)),
      expect.stringMatching(new RegExp(`^├─ ${writer}  cancelled  write  spawned on ${substrateOf.get(writer)}${age}$`)),
      expect.stringMatching(new RegExp(`^│  └─ ${citer}  cancelled  cite  spawned on ${substrateOf.get(citer)}${age}$`)),
      expect.stringMatching(new RegExp(`^└─ ${reviewer}  running  review  delegated on ${substrateOf.get(reviewer)}${age}$`)),
    ]);
    expect(substrateOf.get(writer)).not.toBe(substrateOf.get(reviewer));
    expect(result.code).toBe(0);
  });

  it('draws a deep chain one level further in on each line', async () => {
    const result = await runCli(['tree', fixture.trees.deep, '--sqlite', fixture.path]);
    const prefixes = result.stdout.trim().split('\n').map((line) => /^[│ ├└─]*/.exec(line)![0]);
    expect(prefixes).toEqual(['', '└─ ', '   └─ ', '      └─ ', '         └─ ']);
  });

  it('starts from a child run, showing how it hangs under its parent', async () => {
    const { writer, citer } = fixture.mixed;
    const result = await runCli(['tree', writer, '--sqlite', fixture.path]);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${writer}  cancelled  write  spawned on `));
    expect(lines[1]).toMatch(new RegExp(`^└─ ${citer}  `));
  });

  it('refuses an unknown run with exit status 2', async () => {
    const result = await runCli(['tree', 'no-such-run', '--sqlite', fixture.path]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'runtree: run no-such-run not found in the store\n' });
  });
});
