import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ListedRun, ListRunsOptions, RunPage } from '@runtree/orchestration';
import { createFixtureStore, type FixtureStore } from './support/fixture-store.js';
import { ensureCliBuilt, runCli } from './support/run-cli.js';

/** What the API answers for these options on the fixture, to hold the CLI's output against. */
interface Expected {
  readonly mixedTree: RunPage;
  readonly wideChildren: RunPage;
  readonly wideCompleted: RunPage;
  readonly inSession: RunPage;
  readonly inThread: RunPage;
  readonly firstTwoWithPayloads: RunPage;
  readonly sessionId: string;
  readonly threadId: string;
}

/** A run's line: id, kind, status, createdAt, and its parent when it has one, in columns. */
function lineOf(run: ListedRun): RegExp {
  const parent = run.parentRunId === undefined ? '' : `  parent ${run.parentRunId}`;
  return new RegExp(`^${run.runId} +${run.kind} +${run.status} +${run.createdAt.replace(/\./g, '\\.')}${parent}$`);
}

const lines = (stdout: string): string[] => stdout.trimEnd().split('\n');
const cursorLine = /^more runs: add --cursor (\S+) for the next page$/;

describe('runtree runs list', () => {
  let fixture: FixtureStore;
  let expected: Expected;
  const list = (...args: string[]) => runCli(['runs', 'list', ...args, '--sqlite', fixture.path]);

  beforeAll(async () => {
    await ensureCliBuilt();
    fixture = await createFixtureStore();
    const live = await fixture.open();
    try {
      const { orchestrator } = live;
      const listRuns = (options: ListRunsOptions) => orchestrator.listRuns(options);
      const { sessionId } = (await orchestrator.status(fixture.mixed.root)).run;
      const { threadId } = (await orchestrator.status(fixture.mixed.searcher)).run;
      if (sessionId === undefined || threadId === undefined) throw new Error('the mixed tree has a session and a thread');
      expected = {
        mixedTree: await listRuns({ rootRunId: fixture.mixed.root }),
        wideChildren: await listRuns({ parentRunId: fixture.trees.wide }),
        wideCompleted: await listRuns({ parentRunId: fixture.trees.wide, status: 'completed' }),
        inSession: await listRuns({ sessionId }),
        inThread: await listRuns({ threadId }),
        firstTwoWithPayloads: await listRuns({ rootRunId: fixture.mixed.root, limit: 2, include: ['metadata', 'input', 'output'] }),
        sessionId,
        threadId,
      };
    } finally {
      await live.close();
    }
  }, 240_000);

  afterAll(() => fixture?.dispose());

  it('prints one line per run, newest first: id, kind, status, createdAt and the parent of a child', async () => {
    const result = await list('--root-run-id', fixture.mixed.root);
    expect(expected.mixedTree.runs).toHaveLength(5);
    expect(lines(result.stdout)).toEqual(expected.mixedTree.runs.map((run) => expect.stringMatching(lineOf(run))));
    expect(lines(result.stdout).at(-1)).toMatch(new RegExp(`^${fixture.mixed.root} +research +running +\\S+$`));
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('combines the filters given: --parent-run-id with --status', async () => {
    const result = await list('--parent-run-id', fixture.trees.wide, '--status', 'completed');
    expect(expected.wideCompleted.runs.map((run) => run.status)).toEqual(['completed', 'completed']);
    expect(lines(result.stdout)).toEqual(expected.wideCompleted.runs.map((run) => expect.stringMatching(lineOf(run))));
  });

  it('filters by --session-id, --thread-id and --kind', async () => {
    expect(lines((await list('--session-id', expected.sessionId)).stdout)).toEqual(expected.inSession.runs.map((run) => expect.stringMatching(lineOf(run))));
    expect(lines((await list('--thread-id', expected.threadId)).stdout)).toEqual(expected.inThread.runs.map((run) => expect.stringMatching(lineOf(run))));
    const reviews = lines((await list('--kind', 'review')).stdout);
    expect(reviews).toEqual([expect.stringMatching(new RegExp(`^${fixture.mixed.reviewer} +review +running `))]);
  });

  it('takes --created-after and --created-before as exclusive ISO-8601 bounds', async () => {
    const within = await list('--root-run-id', fixture.mixed.root, '--created-after', '2000-01-01', '--created-before', '2999-01-01T00:00:00+02:00');
    expect(lines(within.stdout)).toHaveLength(5);
    const before = await list('--root-run-id', fixture.mixed.root, '--created-before', '2000-01-01');
    expect(before).toMatchObject({ code: 0, stdout: 'no runs\n' });
  });

  it('pages with --limit, telling on the last line the --cursor of the next page, until every run was listed once', async () => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const result = await list('--parent-run-id', fixture.trees.wide, '--limit', '3', ...(cursor !== undefined ? ['--cursor', cursor] : []));
      expect(result.code).toBe(0);
      const printed = lines(result.stdout);
      cursor = cursorLine.exec(printed.at(-1) ?? '')?.[1];
      pages.push(cursor === undefined ? printed : printed.slice(0, -1));
    } while (cursor !== undefined && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(expected.wideChildren.runs.map((run) => expect.stringMatching(lineOf(run))));
  });

  it('prints the RunPage as JSON with --json, payloads with --include', async () => {
    const result = await list('--root-run-id', fixture.mixed.root, '--limit', '2', '--include', 'metadata,input,output', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected.firstTwoWithPayloads);
    expect(expected.firstTwoWithPayloads.nextCursor).toEqual(expect.any(String));
  });

  it('adds the payloads --include names after the columns of a line', async () => {
    const result = await list('--root-run-id', fixture.mixed.root, '--kind', 'research', '--include', 'input');
    expect(lines(result.stdout)).toEqual([expect.stringMatching(new RegExp(`^${fixture.mixed.root} +research +running +\\S+  input \\{"question":"q"\\}$`))]);
    const searcher = await list('--parent-run-id', fixture.mixed.root, '--kind', 'search', '--include', 'output');
    expect(lines(searcher.stdout)).toEqual([expect.stringMatching(new RegExp(`^${fixture.mixed.searcher} .*  parent ${fixture.mixed.root}  output \\{"hits":3\\}$`))]);
  });

  it('says "no runs" when nothing matches', async () => {
    expect(await list('--kind', 'no-such-kind')).toEqual({ code: 0, stdout: 'no runs\n', stderr: '' });
  });

  it('reads the store the service is configured for when --sqlite is not given', async () => {
    const result = await runCli(['runs', 'list', '--root-run-id', fixture.mixed.root, '--json'], { RUNTREE_STORE: 'sqlite', RUNTREE_SQLITE_PATH: fixture.path });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expected.mixedTree);
  });

  it.each([
    [['--status', 'done'], /^runtree: --status must be one of running, completed, failed, cancelled\n$/],
    [['--created-after', 'yesterday'], /^runtree: --created-after must be an ISO-8601 timestamp such as 2026-12-01T10:00:00Z\n$/],
    [['--created-before', '2026-02-30'], /^runtree: --created-before must be an ISO-8601 timestamp/],
    [['--created-after', '2026-12-02', '--created-before', '2026-12-01'], /^runtree: --created-before must be later than --created-after\n$/],
    [['--limit', 'abc'], /^runtree: --limit must be a positive integer\n$/],
    [['--limit', '0'], /^runtree: --limit must be an integer from 1 to 1000 \(maxListLimit\)\n$/],
    [['--limit', '1001'], /^runtree: --limit must be an integer from 1 to 1000 \(maxListLimit\)\n$/],
    [['--include', 'input,steps'], /^runtree: --include may only name metadata, input, output \(got "steps"\)\n$/],
    [['--cursor', 'not-a-cursor'], /^runtree: --cursor is not a cursor of a previous page/],
    [['--parent-run-id', 'a b'], /^runtree: --parent-run-id /],
    [['--kind', ''], /^runtree: --kind /],
    [['--frobnicate'], /^runtree: Unknown option '--frobnicate'.*\(usage: runtree runs list/],
    [['extra'], /^runtree: unexpected argument extra\n$/],
  ])('refuses %j with one line naming the flag and exit status 2', async (args, message) => {
    const result = await list(...args);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result).toMatchObject({ code: 2, stdout: '' });
  });

  it('takes the largest page from the service configuration (RUNTREE_LIST_PAGE_SIZE)', async () => {
    const env = { RUNTREE_STORE: 'sqlite', RUNTREE_SQLITE_PATH: fixture.path, RUNTREE_LIST_PAGE_SIZE: '5' };
    expect(await runCli(['runs', 'list', '--limit', '6'], env)).toEqual({ code: 2, stdout: '', stderr: 'runtree: --limit must be an integer from 1 to 5 (maxListLimit)\n' });
    expect((await runCli(['runs', 'list', '--limit', '5'], env)).code).toBe(0);
  });

  it('reports a bad filter before looking for the store', async () => {
    const result = await runCli(['runs', 'list', '--status', 'done', '--sqlite', '/nowhere/runtree.sqlite']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'runtree: --status must be one of running, completed, failed, cancelled\n' });
  });

  it('lists runs list in the usage text', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toContain('  runtree runs list [FILTERS] [--limit N] [--cursor C] [--include LIST] [--json] [--sqlite PATH]\n');
    expect(result.stdout).toMatch(/--parent-run-id --root-run-id --session-id --thread-id --created-after --created-before/);
  });
});
