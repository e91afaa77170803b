import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, RunPage, Session, Thread } from '@runtree/orchestration';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';

const API_TOKEN = 'test-api-token-abcdefghijklmn';

/** A kind no other test uses, so a listing by it shows only the test's own runs. */
const uniqueKind = (name: string): string => `${name}-${randomUUID()}`;

const idsOf = (page: RunPage): string[] => page.runs.map((run) => run.runId);

interface Page {
  readonly body: RunPage;
  /** The URL of the Link rel="next" header, if any. */
  readonly next?: string;
}

async function pageAt(h: HttpApp, url: string, token?: string): Promise<Page> {
  const pending = h.http.get(url);
  const response = await (token === undefined ? pending : pending.auth(token, { type: 'bearer' })).expect(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const link = response.headers.link as string | undefined;
  const next = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
  if (link !== undefined && next === undefined) throw new Error(`unexpected Link header: ${link}`);
  return { body: response.body as RunPage, ...(next !== undefined ? { next } : {}) };
}

/** Follows the Link headers from `url` to the last page. */
async function allPages(h: HttpApp, url: string, token?: string): Promise<Page[]> {
  const pages = [await pageAt(h, url, token)];
  while (pages.at(-1)!.next !== undefined) {
    if (pages.length > 100) throw new Error('the listing never ended');
    pages.push(await pageAt(h, pages.at(-1)!.next!, token));
  }
  return pages;
}

describe('GET /runs', () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp();
  });
  afterAll(async () => {
    await h.close();
  });

  /** Starts `count` runs of `kind` one after the other; their ids newest first. */
  async function startRuns(kind: string, count: number, body: object = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) ids.push((await startRun(h, { kind, input: { index }, ...body })).runId);
    return ids.reverse();
  }

  describe('pages', () => {
    it('answers a RunPage newest first, with a Link rel="next" to each next page and none on the last', async () => {
      const kind = uniqueKind('paged');
      const ids = await startRuns(kind, 7);
      const pages = await allPages(h, `/runs?kind=${kind}&limit=3`);

      expect(pages.map((page) => idsOf(page.body))).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
      expect(pages[0].next).toBe(`/runs?kind=${kind}&limit=3&cursor=${pages[0].body.nextCursor}`);
      expect(pages[1].next).toBe(`/runs?kind=${kind}&limit=3&cursor=${pages[1].body.nextCursor}`);
      expect(pages[2].next).toBeUndefined();
      expect(pages[2].body.nextCursor).toBeUndefined();
      expect(pages[0].body.runs[0]).toEqual({
        runId: ids[0],
        kind,
        status: 'running',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        revision: '0',
      });
    });

    it('keeps every filter and include in the next links, so following them pages the same listing', async () => {
      const kind = uniqueKind('filtered-pages');
      const ids = await startRuns(kind, 5);
      for (const runId of ids.slice(1)) await h.http.post(`/runs/${runId}/complete`).send({ output: { runId } }).expect(200);
      const pages = await allPages(h, `/runs?status=completed&kind=${kind}&include=output,input&limit=2`);

      expect(pages.map((page) => idsOf(page.body))).toEqual([ids.slice(1, 3), ids.slice(3, 5)]);
      const next = new URL(pages[0].next!, 'http://runtree').searchParams;
      expect(Object.fromEntries(next)).toEqual({ status: 'completed', kind, include: 'output,input', limit: '2', cursor: pages[0].body.nextCursor });
      for (const run of pages.flatMap((page) => page.body.runs)) expect(run).toMatchObject({ status: 'completed', output: { runId: run.runId }, input: expect.any(Object) });
    });

    it('gives every run once while runs are started between pages, and a new listing starts with them', async () => {
      const kind = uniqueKind('concurrent');
      const ids = await startRuns(kind, 6);
      const first = await pageAt(h, `/runs?kind=${kind}&limit=4`);
      const meanwhile = await startRuns(kind, 2);
      const second = await pageAt(h, first.next!);

      expect([...idsOf(first.body), ...idsOf(second.body)]).toEqual(ids);
      expect(second.next).toBeUndefined();
      expect(idsOf((await pageAt(h, `/runs?kind=${kind}`)).body)).toEqual([...meanwhile, ...ids]);
    });

    it('answers an empty page without a Link when nothing matches', async () => {
      const response = await h.http.get(`/runs?kind=${uniqueKind('nothing')}`).expect(200);
      expect(response.body).toEqual({ runs: [] });
      expect(response.headers.link).toBeUndefined();
    });
  });

  describe('filters and include from the query string', () => {
    it('lists the direct children with parentRunId and the whole tree with rootRunId', async () => {
      const root = await startRun(h);
      const child = (await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201)).body as Child;
      const sibling = (await h.http.post(`/runs/${root.runId}/delegations`).send({ task: 'review' }).expect(201)).body as { runId: string };
      const grandchild = (await h.http.post(`/runs/${child.run.runId}/children`).send({}).expect(201)).body as Child;

      expect(idsOf((await pageAt(h, `/runs?parentRunId=${root.runId}`)).body)).toEqual([sibling.runId, child.run.runId]);
      expect(idsOf((await pageAt(h, `/runs?rootRunId=${root.runId}`)).body)).toEqual([grandchild.run.runId, sibling.runId, child.run.runId, root.runId]);
      expect((await pageAt(h, `/runs?parentRunId=${root.runId}&kind=${child.run.kind}`)).body.runs).toEqual([expect.objectContaining({ runId: child.run.runId, relation: 'spawned', parentRunId: root.runId })]);
    });

    it('lists the runs of a session and of a thread', async () => {
      const session = (await h.http.post('/sessions').send({}).expect(201)).body as Session;
      const thread = (await h.http.post(`/sessions/${session.sessionId}/threads`).send({ name: 'main' }).expect(201)).body as Thread;
      const inSession = await startRun(h, { sessionId: session.sessionId });
      const inThread = await startRun(h, { sessionId: session.sessionId, threadId: thread.threadId });

      expect(idsOf((await pageAt(h, `/runs?sessionId=${session.sessionId}`)).body)).toEqual([inThread.runId, inSession.runId]);
      expect(idsOf((await pageAt(h, `/runs?threadId=${thread.threadId}`)).body)).toEqual([inThread.runId]);
    });

    it('takes createdAfter and createdBefore as ISO-8601, an offset written %2B', async () => {
      const kind = uniqueKind('timed');
      const ids = await startRuns(kind, 2);
      expect(idsOf((await pageAt(h, `/runs?kind=${kind}&createdAfter=2000-01-01&createdBefore=2999-12-31T23:59:59.999Z`)).body)).toEqual(ids);
      expect(idsOf((await pageAt(h, `/runs?kind=${kind}&createdAfter=2000-01-01T00:00:00%2B02:00`)).body)).toEqual(ids);
      expect(idsOf((await pageAt(h, `/runs?kind=${kind}&createdBefore=2000-01-01`)).body)).toEqual([]);
    });

    it('adds the payloads include names, comma-separated, and none without it or with include empty', async () => {
      const kind = uniqueKind('include');
      const run = await startRun(h, { kind, input: { question: 'why' }, metadata: { team: 'a' } });
      await h.http.post(`/runs/${run.runId}/fail`).send({ error: { message: 'no' } }).expect(200);
      const listed = async (query: string) => (await pageAt(h, `/runs?kind=${kind}${query}`)).body.runs[0];

      expect(await listed('&include=input,output,metadata')).toMatchObject({ input: { question: 'why' }, error: { message: 'no' }, metadata: { team: 'a' } });
      expect(await listed('&include=metadata')).toEqual(expect.objectContaining({ metadata: { team: 'a' } }));
      expect(await listed('&include=metadata')).not.toHaveProperty('input');
      for (const query of ['', '&include=']) {
        const bare = await listed(query);
        expect(Object.keys(bare).filter((key) => ['metadata', 'input', 'output', 'error', 'cancelReason'].includes(key))).toEqual([]);
      }
    });
  });

  describe('refused queries', () => {
    it.each([
      ['status=done', 'invalid_option', 'status'],
      ['status=RUNNING', 'invalid_option', 'status'],
      ['limit=abc', 'invalid_option', 'limit'],
      ['limit=0', 'invalid_option', 'limit'],
      ['limit=1001', 'invalid_option', 'limit'],
      ['limit=-5', 'invalid_option', 'limit'],
      ['limit=2.5', 'invalid_option', 'limit'],
      ['limit=', 'invalid_option', 'limit'],
      ['status=running&status=failed', 'invalid_option', 'status'],
      ['kind=a&kind=a', 'invalid_option', 'kind'],
      ['limit=5&limit=5', 'invalid_option', 'limit'],
      ['owner=me', 'unsupported_option', 'owner'],
      ['Status=running', 'unsupported_option', 'Status'],
      ['include=inputs', 'invalid_option', 'include'],
      ['include=input,,output', 'invalid_option', 'include'],
      ['kind=', 'invalid_option', 'kind'],
      ['parentRunId=a%20b', 'invalid_option', 'parentRunId'],
      ['createdAfter=yesterday', 'invalid_option', 'createdAfter'],
      ['createdAfter=2026-02-30', 'invalid_option', 'createdAfter'],
      // An unescaped + is a space in a query string: the offset is lost.
      ['createdAfter=2026-12-01T10:00:00+02:00', 'invalid_option', 'createdAfter'],
      ['createdAfter=2026-12-02&createdBefore=2026-12-01', 'invalid_option', 'createdBefore'],
      ['cursor=abc', 'invalid_option', 'cursor'],
    ])('GET /runs?%s is 400 %s naming %s', async (query, code, field) => {
      const response = await h.http.get(`/runs?${query}`).expect(400);
      expect(errorOf(response)).toEqual({ code, message: expect.stringContaining(field), details: expect.objectContaining({ field, reason: expect.any(String) }) });
    });

    it('says why a limit is refused: not digits, or out of range', async () => {
      expect(errorOf(await h.http.get('/runs?limit=abc').expect(400)).details.reason).toBe('must be a positive integer');
      expect(errorOf(await h.http.get('/runs?limit=1001').expect(400)).details.reason).toBe('must be an integer from 1 to 1000 (maxListLimit)');
      expect(errorOf(await h.http.get('/runs?status=a&status=b').expect(400)).details.reason).toBe('must be given once');
    });
  });
});

describe('GET /runs with RUNTREE_LIST_PAGE_SIZE', () => {
  it('pages at most that many runs and refuses a larger limit', async () => {
    const h = await startHttpApp({ env: { RUNTREE_LIST_PAGE_SIZE: '3' } });
    try {
      const kind = uniqueKind('page-size');
      for (let index = 0; index < 4; index++) await startRun(h, { kind });
      const pages = await allPages(h, `/runs?kind=${kind}`);
      expect(pages.map((page) => page.body.runs.length)).toEqual([3, 1]);
      expect(errorOf(await h.http.get('/runs?limit=4').expect(400))).toMatchObject({ code: 'invalid_option', details: { field: 'limit', reason: 'must be an integer from 1 to 3 (maxListLimit)' } });
    } finally {
      await h.close();
    }
  });
});

describe('GET /runs with RUNTREE_API_TOKEN set', () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp({ env: { RUNTREE_API_TOKEN: API_TOKEN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 401 without the token or with a wrong one, listing nothing', async () => {
    const missing = await h.http.get('/runs').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="runtree"');
    expect(errorOf(missing)).toMatchObject({ code: 'unauthorized', details: { reason: 'missing_token' } });
    expect(missing.body).not.toHaveProperty('runs');
    const wrong = await h.http.get('/runs?limit=1').auth(`${API_TOKEN}x`, { type: 'bearer' }).expect(401);
    expect(errorOf(wrong)).toMatchObject({ code: 'unauthorized', details: { reason: 'invalid_token' } });
  });

  it('lists and pages with the token', async () => {
    const kind = uniqueKind('authorized');
    for (let index = 0; index < 3; index++) await h.http.post('/runs').auth(API_TOKEN, { type: 'bearer' }).send({ kind }).expect(201);
    const pages = await allPages(h, `/runs?kind=${kind}&limit=2`, API_TOKEN);
    expect(pages.map((page) => page.body.runs.length)).toEqual([2, 1]);
  });
});
