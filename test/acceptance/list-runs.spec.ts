import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { ListedRun, ListRunsOptions, Orchestrator, Run, RunPage } from '@runtree/orchestration';
import { expectOrchestratorError, malformed } from '../support/orchestrator-expect.js';
import { describeOnEveryStore } from '../support/orchestrator-targets.js';
import { openSubstrates } from '../support/substrates.js';
import { allRuns, buildTree, type BuiltTree } from '../support/trees.js';

// Tests share one store per target: each scopes its listing to runs of its own (a unique kind, or
// a fresh tree's root), so runs other tests start never show up in what it asserts on.

/** A kind no other test uses. */
const uniqueKind = (name: string): string => `${name}-${randomUUID()}`;

const idsOf = (page: RunPage): string[] => page.runs.map((run) => run.runId);

/** Starts `count` runs of `kind` one after the other; their ids newest first, as a listing gives them. */
async function startRuns(orchestrator: Orchestrator, kind: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) ids.push((await orchestrator.startRun({ kind, input: { index } })).runId);
  return ids.reverse();
}

/** Every page of a listing, following `nextCursor` until there is none. */
async function allPages(orchestrator: Orchestrator, options: ListRunsOptions): Promise<RunPage[]> {
  const pages: RunPage[] = [];
  let cursor: string | undefined;
  do {
    const page = await orchestrator.listRuns({ ...options, ...(cursor !== undefined ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1_000) throw new Error('the listing never ended');
  } while (cursor !== undefined);
  return pages;
}

/** The run as a listing shows it without `include`: no metadata, input, output, error or cancel reason. */
function summaryOf(run: Run): ListedRun {
  const { metadata: _metadata, input: _input, output: _output, error: _error, cancelReason: _cancelReason, ...summary } = run;
  return summary;
}

/** Runs a tree creates, in the order buildTree starts them: the root, then level by level. */
function creationOrder(tree: BuiltTree): string[] {
  const order: string[] = [];
  let level: readonly BuiltTree[] = [tree];
  while (level.length > 0) {
    order.push(...level.map((node) => node.runId));
    level = level.flatMap((node) => node.children);
  }
  return order;
}

/** A clock the test moves: every command it runs is stamped with the time it is set to. */
function settableClock(start: string) {
  let now = Date.parse(start);
  return { clock: () => new Date(now), set: (iso: string) => void (now = Date.parse(iso)) };
}

describeOnEveryStore('listRuns', (orchestrator, store) => {
  describe('a listing', () => {
    it('gives the runs newest first, each with its core fields and no payloads, and no cursor when all fit', async () => {
      const kind = uniqueKind('plain');
      const ids = await startRuns(orchestrator(), kind, 3);
      await orchestrator().completeRun(ids[1], { done: true });

      const page = await orchestrator().listRuns({ kind });
      expect(idsOf(page)).toEqual(ids);
      expect(page.nextCursor).toBeUndefined();
      for (const listed of page.runs) expect(listed).toEqual(summaryOf((await orchestrator().status(listed.runId)).run));
      expect(page.runs[1]).toMatchObject({ status: 'completed' });
    });

    it('is empty, without a cursor, when nothing matches', async () => {
      expect(await orchestrator().listRuns({ kind: uniqueKind('nothing') })).toEqual({ runs: [] });
      expect(await orchestrator().listRuns({ rootRunId: `no-such-run-${randomUUID()}` })).toEqual({ runs: [] });
    });

    it('without options lists every run, the newest first', async () => {
      const kind = uniqueKind('unfiltered');
      const [newest] = await startRuns(orchestrator(), kind, 2);
      const page = await orchestrator().listRuns();
      expect(page.runs[0]).toMatchObject({ runId: newest, kind });
      expect(await orchestrator().listRuns({})).toEqual(page);
    });
  });

  describe('filters', () => {
    it('status: a run is listed under the status it has now, as it completes, fails or is cancelled', async () => {
      const kind = uniqueKind('status');
      const [cancelled, failed, completed, running] = await startRuns(orchestrator(), kind, 4);
      const listed = async (status: Run['status']) => idsOf(await orchestrator().listRuns({ kind, status }));
      expect(await listed('running')).toEqual([cancelled, failed, completed, running]);

      await orchestrator().completeRun(completed, 'ok');
      await orchestrator().failRun(failed, { message: 'no' });
      await orchestrator().cancel(cancelled, 'stop');
      expect(await listed('running')).toEqual([running]);
      expect(await listed('completed')).toEqual([completed]);
      expect(await listed('failed')).toEqual([failed]);
      expect(await listed('cancelled')).toEqual([cancelled]);
    });

    it('kind: only runs of that kind', async () => {
      const kind = uniqueKind('kind');
      const otherKind = uniqueKind('other-kind');
      const ids = await startRuns(orchestrator(), kind, 2);
      const others = await startRuns(orchestrator(), otherKind, 2);
      expect(idsOf(await orchestrator().listRuns({ kind }))).toEqual(ids);
      expect(idsOf(await orchestrator().listRuns({ kind: otherKind }))).toEqual(others);
    });

    it('parentRunId: the direct children only, newest first, not the parent or grandchildren', async () => {
      const tree = await buildTree(orchestrator(), { children: [{ children: [{}, {}] }, {}, { children: [{}] }] });
      const children = tree.children.map((child) => child.runId);
      const page = await orchestrator().listRuns({ parentRunId: tree.runId });
      expect(idsOf(page)).toEqual([...children].reverse());
      expect(page.runs.every((run) => run.parentRunId === tree.runId)).toBe(true);
      expect(idsOf(await orchestrator().listRuns({ parentRunId: tree.children[0].runId }))).toEqual(tree.children[0].children.map((child) => child.runId).reverse());
      expect(await orchestrator().listRuns({ parentRunId: tree.children[1].runId })).toEqual({ runs: [] });
    });

    it('rootRunId: the root itself and every descendant at every depth, newest first, and no run of another tree', async () => {
      const tree = await buildTree(orchestrator(), { children: [{ children: [{}, { children: [{}] }] }, {}, { children: [{}, {}] }] });
      const otherTree = await buildTree(orchestrator(), { children: [{}] });
      const page = await orchestrator().listRuns({ rootRunId: tree.runId });
      expect(idsOf(page)).toEqual(creationOrder(tree).reverse());
      expect(page.runs).toHaveLength(allRuns(tree).length);
      expect(idsOf(await orchestrator().listRuns({ rootRunId: otherTree.runId }))).toEqual(creationOrder(otherTree).reverse());
    });

    it('sessionId and threadId: the runs in that session, the runs in that thread', async () => {
      const { session, thread, otherSession } = await openSubstrates(orchestrator());
      const inSession = await orchestrator().startRun({ sessionId: session.sessionId });
      const inThread = await orchestrator().startRun({ sessionId: session.sessionId, threadId: thread.threadId });
      const inherited = await orchestrator().spawn(inSession.runId, { session: 'inherit' });
      await orchestrator().startRun({ sessionId: otherSession.sessionId });
      await orchestrator().startRun();

      expect(idsOf(await orchestrator().listRuns({ sessionId: session.sessionId }))).toEqual([inherited.run.runId, inThread.runId, inSession.runId]);
      expect(idsOf(await orchestrator().listRuns({ threadId: thread.threadId }))).toEqual([inThread.runId]);
      expect(idsOf(await orchestrator().listRuns({ sessionId: otherSession.sessionId, threadId: thread.threadId }))).toEqual([]);
    });

    it('combined: a run is listed only when every filter given matches', async () => {
      const kind = uniqueKind('combined');
      const { session } = await openSubstrates(orchestrator());
      const tree = await buildTree(orchestrator(), { kind, children: [{ kind }, { kind }, {}] });
      const [first, second, third] = tree.children.map((child) => child.runId);
      const sessionRun = await orchestrator().startRun({ kind, sessionId: session.sessionId });
      const otherKindInSession = await orchestrator().startRun({ sessionId: session.sessionId });
      await orchestrator().completeRun(first, 'done');
      await orchestrator().completeRun(third, 'done');
      await orchestrator().completeRun(sessionRun.runId, 'done');

      expect(idsOf(await orchestrator().listRuns({ parentRunId: tree.runId, status: 'completed' }))).toEqual([third, first]);
      expect(idsOf(await orchestrator().listRuns({ parentRunId: tree.runId, status: 'completed', kind }))).toEqual([first]);
      expect(idsOf(await orchestrator().listRuns({ rootRunId: tree.runId, kind }))).toEqual([second, first, tree.runId]);
      expect(idsOf(await orchestrator().listRuns({ rootRunId: tree.runId, kind, status: 'running' }))).toEqual([second, tree.runId]);
      expect(idsOf(await orchestrator().listRuns({ kind, status: 'completed' }))).toEqual([sessionRun.runId, first]);
      expect(idsOf(await orchestrator().listRuns({ kind, sessionId: session.sessionId }))).toEqual([sessionRun.runId]);
      expect(idsOf(await orchestrator().listRuns({ sessionId: session.sessionId, status: 'running' }))).toEqual([otherKindInSession.runId]);
      expect(idsOf(await orchestrator().listRuns({ kind, sessionId: session.sessionId, status: 'running' }))).toEqual([]);
    });

    it('createdAfter and createdBefore: exclusive bounds, alone and together, compared in UTC', async () => {
      const time = settableClock('2026-12-01T10:00:00.000Z');
      const timed = await store.openAnother({ clock: time.clock });
      const kind = uniqueKind('timed');
      const at: Record<string, string> = {};
      for (const iso of ['2026-11-30T23:59:59.999Z', '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.001Z', '2026-12-01T11:00:00.000Z', '2026-12-02T00:00:00.000Z']) {
        time.set(iso);
        at[iso] = (await timed.startRun({ kind })).runId;
      }
      const listed = async (options: ListRunsOptions) => idsOf(await timed.listRuns({ kind, ...options }));

      expect((await timed.status(at['2026-12-01T10:00:00.000Z'])).run.createdAt).toBe('2026-12-01T10:00:00.000Z');
      expect(await listed({ createdAfter: '2026-12-01T10:00:00.000Z' })).toEqual([at['2026-12-02T00:00:00.000Z'], at['2026-12-01T11:00:00.000Z'], at['2026-12-01T10:00:00.001Z']]);
      expect(await listed({ createdBefore: '2026-12-01T10:00:00.001Z' })).toEqual([at['2026-12-01T10:00:00.000Z'], at['2026-11-30T23:59:59.999Z']]);
      expect(await listed({ createdAfter: '2026-12-01T10:00:00Z', createdBefore: '2026-12-01T11:00:00Z' })).toEqual([at['2026-12-01T10:00:00.001Z']]);
      // A date alone is its midnight UTC; an offset is taken into account.
      expect(await listed({ createdAfter: '2026-12-01', createdBefore: '2026-12-02' })).toEqual([at['2026-12-01T11:00:00.000Z'], at['2026-12-01T10:00:00.001Z'], at['2026-12-01T10:00:00.000Z']]);
      expect(await listed({ createdAfter: '2026-12-01T12:00+02:00', createdBefore: '2026-12-01T05:30:00-05:30' })).toEqual([at['2026-12-01T10:00:00.001Z']]);
    });
  });

  describe('pages', () => {
    it('pages through 25 runs 4 at a time: every run once, in order, a cursor on every page but the last', async () => {
      const kind = uniqueKind('paged');
      const ids = await startRuns(orchestrator(), kind, 25);
      const pages = await allPages(orchestrator(), { kind, limit: 4 });

      expect(pages.map((page) => page.runs.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
      expect(pages.flatMap(idsOf)).toEqual(ids);
      expect(pages.slice(0, -1).every((page) => typeof page.nextCursor === 'string')).toBe(true);
      expect(pages.at(-1)?.nextCursor).toBeUndefined();
    });

    it('ends on a full last page without a cursor', async () => {
      const kind = uniqueKind('full-pages');
      const ids = await startRuns(orchestrator(), kind, 8);
      const pages = await allPages(orchestrator(), { kind, limit: 4 });
      expect(pages.map(idsOf)).toEqual([ids.slice(0, 4), ids.slice(4)]);
      expect(pages[1].nextCursor).toBeUndefined();
    });

    it('stays stable while runs are started and finished between pages: no run twice, none skipped, new ones not in later pages', async () => {
      const kind = uniqueKind('concurrent');
      const ids = await startRuns(orchestrator(), kind, 12);
      const first = await orchestrator().listRuns({ kind, limit: 4 });

      const startedMeanwhile = await startRuns(orchestrator(), kind, 3);
      await orchestrator().completeRun(ids[5], 'finished while listing');
      await orchestrator().cancel(ids[9], 'cancelled while listing');
      const second = await orchestrator().listRuns({ kind, limit: 4, cursor: first.nextCursor });

      const startedLater = await Promise.all([1, 2, 3].map(() => orchestrator().startRun({ kind })));
      const third = await orchestrator().listRuns({ kind, limit: 4, cursor: second.nextCursor });

      expect([first, second, third].map(idsOf)).toEqual([ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
      expect(third.nextCursor).toBeUndefined();
      expect(second.runs[1]).toMatchObject({ runId: ids[5], status: 'completed' });
      expect(third.runs[1]).toMatchObject({ runId: ids[9], status: 'cancelled' });
      // A new listing starts with the runs started meanwhile.
      const again = await allPages(orchestrator(), { kind, limit: 5 });
      expect(new Set(again.flatMap(idsOf).slice(0, 3))).toEqual(new Set(startedLater.map((run) => run.runId)));
      expect(again.flatMap(idsOf).slice(3)).toEqual([...startedMeanwhile, ...ids]);
    });

    it('continues a filtered listing with its cursor and the same filters', async () => {
      const tree = await buildTree(orchestrator(), { children: Array.from({ length: 7 }, (_, index) => ({ settle: index % 2 === 0 ? 'completed' : 'running' })) });
      const completed = tree.children.filter((child) => child.spec.settle === 'completed').map((child) => child.runId).reverse();
      const pages = await allPages(orchestrator(), { parentRunId: tree.runId, status: 'completed', limit: 3 });
      expect(pages.map(idsOf)).toEqual([completed.slice(0, 3), completed.slice(3)]);
    });

    it('gives 100 runs by default, with a cursor to the rest', async () => {
      const kind = uniqueKind('default-limit');
      const started: string[] = [];
      for (let batch = 0; batch < 11; batch++) {
        const runs = await Promise.all(Array.from({ length: batch < 10 ? 10 : 1 }, () => orchestrator().startRun({ kind })));
        started.push(...runs.map((run) => run.runId));
      }
      const first = await orchestrator().listRuns({ kind });
      expect(first.runs).toHaveLength(100);
      expect(first.nextCursor).toEqual(expect.any(String));
      const rest = await orchestrator().listRuns({ kind, cursor: first.nextCursor });
      expect(rest.runs).toHaveLength(1);
      expect(rest.nextCursor).toBeUndefined();
      expect(new Set([...idsOf(first), ...idsOf(rest)])).toEqual(new Set(started));
    });

    it('takes a limit up to maxListLimit (1000 by default)', async () => {
      const kind = uniqueKind('max-limit');
      const ids = await startRuns(orchestrator(), kind, 2);
      expect(idsOf(await orchestrator().listRuns({ kind, limit: 1_000 }))).toEqual(ids);
      expect(idsOf(await orchestrator().listRuns({ kind, limit: 1 }))).toEqual(ids.slice(0, 1));
    });

    it('with a lower maxListLimit, defaults to it and refuses more', async () => {
      const small = await store.openAnother({ limits: { maxListLimit: 5 } });
      const kind = uniqueKind('small-limit');
      const ids = await startRuns(small, kind, 7);
      const page = await small.listRuns({ kind });
      expect(idsOf(page)).toEqual(ids.slice(0, 5));
      expect(page.nextCursor).toEqual(expect.any(String));
      const error = await expectOrchestratorError(small.listRuns({ limit: 6 }), 'invalid_option', { field: 'limit' });
      expect(error.message).toContain('from 1 to 5');
    });
  });

  describe('include', () => {
    /** Runs of one kind in every status, each with input and metadata; newest first. */
    async function runsInEveryStatus(kind: string) {
      const start = (name: string) => orchestrator().startRun({ kind, input: { name }, metadata: { name } });
      const completed = await start('completed');
      const failed = await start('failed');
      const cancelled = await start('cancelled');
      const running = await start('running');
      const bare = await orchestrator().startRun({ kind });
      await orchestrator().completeRun(completed.runId, { answer: 42 });
      await orchestrator().failRun(failed.runId, { message: 'broke' });
      await orchestrator().cancel(cancelled.runId, { why: 'not needed' });
      return { bare: bare.runId, running: running.runId, cancelled: cancelled.runId, failed: failed.runId, completed: completed.runId };
    }

    const payloadKeys = ['metadata', 'input', 'output', 'error', 'cancelReason'];
    const payloadsOf = (run: ListedRun) => Object.fromEntries(Object.entries(run).filter(([key]) => payloadKeys.includes(key)));

    it('gives no payloads unless asked, also with an empty include', async () => {
      const kind = uniqueKind('no-payloads');
      await runsInEveryStatus(kind);
      for (const options of [{ kind }, { kind, include: [] }]) {
        const page = await orchestrator().listRuns(options);
        expect(page.runs).toHaveLength(5);
        expect(page.runs.map(payloadsOf)).toEqual([{}, {}, {}, {}, {}]);
      }
    });

    it('input: the input of each run that has one, nothing else', async () => {
      const kind = uniqueKind('include-input');
      await runsInEveryStatus(kind);
      const page = await orchestrator().listRuns({ kind, include: ['input'] });
      expect(page.runs.map(payloadsOf)).toEqual([{}, { input: { name: 'running' } }, { input: { name: 'cancelled' } }, { input: { name: 'failed' } }, { input: { name: 'completed' } }]);
    });

    it('output: the output, error or cancel reason, whichever the status has, nothing for a running run', async () => {
      const kind = uniqueKind('include-output');
      await runsInEveryStatus(kind);
      const page = await orchestrator().listRuns({ kind, include: ['output'] });
      expect(page.runs.map(payloadsOf)).toEqual([{}, {}, { cancelReason: { why: 'not needed' } }, { error: { message: 'broke' } }, { output: { answer: 42 } }]);
    });

    it('metadata: the metadata of every run, the lineage of a child included', async () => {
      const kind = uniqueKind('include-metadata');
      await runsInEveryStatus(kind);
      const page = await orchestrator().listRuns({ kind, include: ['metadata'] });
      expect(page.runs.map(payloadsOf)).toEqual([
        { metadata: {} },
        { metadata: { name: 'running' } },
        { metadata: { name: 'cancelled' } },
        { metadata: { name: 'failed' } },
        { metadata: { name: 'completed' } },
      ]);
      const parent = await orchestrator().startRun();
      const child = await orchestrator().spawn(parent.runId, { metadata: { role: 'helper' } });
      const [listedChild] = (await orchestrator().listRuns({ parentRunId: parent.runId, include: ['metadata'] })).runs;
      expect(listedChild.metadata).toEqual(child.run.metadata);
    });

    it('all three: each run as status() shows it', async () => {
      const kind = uniqueKind('include-all');
      await runsInEveryStatus(kind);
      const page = await orchestrator().listRuns({ kind, include: ['output', 'metadata', 'input', 'input'] });
      for (const listed of page.runs) expect(listed).toEqual((await orchestrator().status(listed.runId)).run);
    });
  });

  describe('refused options', () => {
    it.each([['verbose'], ['offset'], ['parentId'], ['includeSteps']])('an unknown key %s is unsupported_option naming it', async (key) => {
      await expectOrchestratorError(orchestrator().listRuns({ [key]: true }), 'unsupported_option', { field: key });
    });

    it.each([
      ['status', 'done'],
      ['status', 'RUNNING'],
      ['status', 3],
      ['kind', ''],
      ['kind', 5],
      ['parentRunId', ''],
      ['parentRunId', 'a run id with spaces'],
      ['rootRunId', 42],
      ['sessionId', { id: 's' }],
      ['threadId', null],
      ['createdAfter', 'yesterday'],
      ['createdAfter', 1_796_119_200_000],
      ['createdAfter', '2026-13-01'],
      ['createdAfter', '2026-12-01T10:00'],
      ['createdAfter', '2026-12-01 10:00:00Z'],
      ['createdAfter', '2026-02-30'],
      ['createdAfter', '2026-04-31T10:00:00Z'],
      ['createdBefore', '2025-02-29'],
      ['createdBefore', ''],
      ['limit', 0],
      ['limit', -1],
      ['limit', 2.5],
      ['limit', 1_001],
      ['limit', '10'],
      ['include', 'input'],
      ['include', ['inputs']],
      ['include', ['input', 'steps']],
      ['include', [1]],
      ['cursor', ''],
      ['cursor', 'not a cursor'],
      ['cursor', 'bm90LWEtY3Vyc29y'],
      // An earlier Runtree's cursor: its keys were the read store's own row order.
      ['cursor', Buffer.from(JSON.stringify({ v: 1, k: 10 })).toString('base64url')],
      ['cursor', Buffer.from(JSON.stringify({ v: 2, k: 0 })).toString('base64url')],
      ['cursor', Buffer.from(JSON.stringify({ v: 2, k: 'x' })).toString('base64url')],
      ['cursor', 7],
    ])('%s = %j is invalid_option naming the field, with a reason', async (field, value) => {
      const error = await expectOrchestratorError(orchestrator().listRuns({ [field]: value }), 'invalid_option', { field, reason: expect.any(String) });
      expect(error.message).toContain(field);
    });

    it.each([[null], ['status=running'], [[]], [5]])('options that are no object (%j) are invalid_option', async (options) => {
      await expectOrchestratorError(orchestrator().listRuns(malformed<ListRunsOptions>(options)), 'invalid_option', { field: 'options' });
    });

    it.each([
      ['equal', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00.000Z'],
      ['later', '2026-12-02', '2026-12-01'],
      ['the same instant with another offset', '2026-12-01T12:00:00+02:00', '2026-12-01T10:00:00Z'],
    ])('createdAfter %s than createdBefore is invalid_option naming createdBefore', async (_case, createdAfter, createdBefore) => {
      await expectOrchestratorError(orchestrator().listRuns({ createdAfter, createdBefore }), 'invalid_option', { field: 'createdBefore', reason: 'must be later than createdAfter' });
    });
  });
});
