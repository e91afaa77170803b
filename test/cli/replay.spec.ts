import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { liveView, type RunView } from '@runtree/journal-audit';
import type { StartedOrchestrator } from '../support/orchestrator-targets.js';
import { createFixtureStore, type FixtureStore, type FixtureTrees } from './support/fixture-store.js';
import { forge, indexOf, readJournal, streamOf, writeJournal } from './support/journal-lines.js';
import { ensureCliBuilt, runCli } from './support/run-cli.js';

interface ReplayJson {
  eventCount: number;
  skipped: string[];
  runs: RunView[];
  differences?: { runId: string; field: string; journal?: unknown; live?: unknown }[];
}

describe('runtree replay', () => {
  let fixture: FixtureStore;
  let live: StartedOrchestrator;
  const files: Partial<Record<keyof FixtureTrees, string>> = {};

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
    for (const shape of Object.keys(fixture.trees) as (keyof FixtureTrees)[]) {
      files[shape] = join(fixture.directory, `${shape}.ndjson`);
      expect((await runCli(['journal', 'export', fixture.trees[shape], '--tree', '--sqlite', fixture.path, '--out', files[shape]!])).code).toBe(0);
    }
    live = await fixture.open();
  }, 240_000);

  afterAll(async () => {
    await live?.close();
    await fixture?.dispose();
  });

  it.each<keyof FixtureTrees>(['deep', 'wide', 'mixed', 'finished'])('the %s tree replayed from its file equals the live read models, run by run', async (shape) => {
    const result = await runCli(['replay', files[shape]!, '--json']);
    expect(result.code).toBe(0);
    const replayed = JSON.parse(result.stdout) as ReplayJson;
    expect(replayed.skipped).toEqual([]);
    const { descendants } = await live.orchestrator.collect(fixture.trees[shape], { includeDescendants: true, includeJournal: false, includeSteps: false });
    expect(replayed.runs.map((view) => view.run.runId)).toEqual([fixture.trees[shape], ...descendants!.map((child) => child.run.runId)]);
    for (const view of replayed.runs) expect(view).toEqual(await liveView(live.orchestrator, view.run.runId));
  });

  it('the mixed tree keeps its statuses, counts and children order', async () => {
    const { runs } = JSON.parse((await runCli(['replay', files.mixed!, '--json'])).stdout) as ReplayJson;
    const byId = new Map(runs.map((view) => [view.run.runId, view]));
    const { root, searcher, writer, citer, reviewer } = fixture.mixed;
    expect(byId.get(root)).toMatchObject({ run: { status: 'running' }, children: [searcher, writer, reviewer], stepCount: 2, activeStepCount: 1, activeChildCount: 1 });
    expect(byId.get(searcher)).toMatchObject({ run: { status: 'completed', output: { hits: 3 } }, stepCount: 1, activeStepCount: 0, link: { relation: 'spawned', sequence: 0 } });
    expect(byId.get(writer)).toMatchObject({ run: { status: 'cancelled' }, children: [citer] });
    expect(byId.get(citer)).toMatchObject({ run: { status: 'cancelled' }, link: { parentRunId: writer } });
    expect(byId.get(reviewer)).toMatchObject({ run: { status: 'running' }, link: { relation: 'delegated', task: { review: 'draft' }, sequence: 2 } });
  });

  it('prints the tree with statuses, counts and timings', async () => {
    const result = await runCli(['replay', files.mixed!]);
    const { root, searcher, writer, citer, reviewer } = fixture.mixed;
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^replayed \d+ events from .*mixed\.ndjson: 5 runs in 1 tree$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${root}  running  research  root  steps 2 \\(1 running\\)  children 3 \\(1 running\\)  last event \\+\\S+$`)),
      expect.stringMatching(new RegExp(`^├─ ${searcher}  completed  search  spawned on \\w+  steps 1 \\(0 running\\)  children 0 \\(0 running\\)  took \\S+$`)),
      expect.stringMatching(new RegExp(`^├─ ${writer}  cancelled  write  spawned on \\w+  steps 0 \\(0 running\\)  children 1 \\(0 running\\)  took \\S+$`)),
      expect.stringMatching(new RegExp(`^│  └─ ${citer}  cancelled  cite  spawned on \\w+  `)),
      expect.stringMatching(new RegExp(`^└─ ${reviewer}  running  review  delegated on \\w+  `)),
    ]);
    expect(result.code).toBe(0);
  });

  it('--compare finds no difference on an untouched store', async () => {
    const result = await runCli(['replay', files.mixed!, '--compare', '--sqlite', fixture.path]);
    expect(result.stdout).toMatch(/\nno difference from the live read models\n$/);
    expect(result.code).toBe(0);
  });

  it('--compare reports the difference a (consistently re-chained) forgery makes, with exit status 1', async () => {
    const journal = await readJournal(files.mixed!);
    const completed = indexOf(journal, streamOf(fixture.mixed.searcher), 'RunCompleted');
    const forged = join(fixture.directory, 'mixed-forged.ndjson');
    await writeJournal(forged, forge({ ...journal, lines: journal.lines.filter((_, i) => i !== completed) }));
    expect((await runCli(['journal', 'verify', forged])).code).toBe(0); // the chain alone cannot tell
    const result = await runCli(['replay', forged, '--compare', '--json', '--sqlite', fixture.path]);
    const { differences } = JSON.parse(result.stdout) as ReplayJson;
    expect(differences).toEqual(
      expect.arrayContaining([
        { runId: fixture.mixed.searcher, field: 'run.status', journal: 'running', live: 'completed' },
        { runId: fixture.mixed.searcher, field: 'run.output', live: { hits: 3 } },
        { runId: fixture.mixed.root, field: 'activeChildCount', journal: 2, live: 1 },
      ]),
    );
    expect(result.code).toBe(1);
    const human = await runCli(['replay', forged, '--compare', '--sqlite', fixture.path]);
    expect(human.stdout).toContain(`difference: ${fixture.mixed.searcher} run.status: journal "running", live "completed"\n`);
    expect(human.code).toBe(1);
  });

  it('--all replays the whole store, and --compare finds it equal to the live read models', async () => {
    const result = await runCli(['replay', '--all', '--compare', '--json', '--sqlite', fixture.path]);
    const replayed = JSON.parse(result.stdout) as ReplayJson;
    const roots = replayed.runs.filter((view) => view.link === null).map((view) => view.run.runId);
    expect(roots).toEqual([fixture.trees.deep, fixture.trees.wide, fixture.trees.mixed, fixture.trees.finished]);
    expect(replayed.differences).toEqual([]);
    expect(result.code).toBe(0);
  });

  it.each([
    [[], /^runtree: give one journal file, or --all for the whole store\n$/],
    [['<file>', '--all'], /^runtree: give one journal file, or --all for the whole store\n$/],
    [['<broken>'], /^runtree: .*broken\.ndjson line 2: not JSON \(see runtree journal verify\)\n$/],
    [['/nowhere/journal.ndjson'], /^runtree: cannot read \/nowhere\/journal\.ndjson: ENOENT/],
  ])('refuses %j with exit status 2', async (args, message) => {
    const broken = join(fixture.directory, 'broken.ndjson');
    await writeFile(broken, `${(await readJournal(files.deep!)).lines.map((line) => JSON.stringify(line))[0]}\n{"stream":\n`);
    const result = await runCli(['replay', ...args.map((arg) => (arg === '<file>' ? files.deep! : arg === '<broken>' ? broken : arg))]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });
});
