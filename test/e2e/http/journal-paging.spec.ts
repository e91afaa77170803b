import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, JournalEntry } from '@runtree/orchestration';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';

const PAGE_SIZE = 4;

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp({ env: { RUNTREE_JOURNAL_PAGE_SIZE: String(PAGE_SIZE) } });
});
afterAll(async () => {
  await h.close();
});

interface Page {
  readonly entries: JournalEntry[];
  /** The URL of the Link rel="next" header, if any. */
  readonly next?: string;
}

async function pageAt(url: string): Promise<Page> {
  const response = await h.http.get(url).expect(200);
  const entries = response.text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalEntry);
  const link = response.headers.link as string | undefined;
  const next = link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
  if (link !== undefined && next === undefined) throw new Error(`unexpected Link header: ${link}`);
  return { entries, ...(next ? { next } : {}) };
}

/** Follows the Link headers from `url` to the last page; at most `maxPages` pages. */
async function allPages(url: string, maxPages = 50): Promise<Page[]> {
  const pages = [await pageAt(url)];
  while (pages.at(-1)!.next !== undefined) {
    if (pages.length >= maxPages) throw new Error(`more than ${maxPages} pages`);
    pages.push(await pageAt(pages.at(-1)!.next!));
  }
  return pages;
}

/** A run with `steps` started steps: 1 + steps events in its stream. */
async function runWithSteps(steps: number): Promise<string> {
  const run = await startRun(h);
  for (let index = 0; index < steps; index++) await h.http.post(`/runs/${run.runId}/steps`).send({ name: `s${index}` }).expect(201);
  return run.runId;
}

describe('GET /runs/:runId/journal, a page at a time', () => {
  it('answers at most the page size, with a Link to the next page until the last', async () => {
    const runId = await runWithSteps(9); // 10 events
    const pages = await allPages(`/runs/${runId}/journal`);
    expect(pages.map((page) => page.entries.length)).toEqual([4, 4, 2]);
    expect(pages.flatMap((page) => page.entries.map((entry) => entry.revision))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(pages[0].next).toBe(`/runs/${runId}/journal?after=3&limit=4`);
    expect(pages[2].next).toBeUndefined();
  });

  it('keeps a smaller limit across pages', async () => {
    const runId = await runWithSteps(4); // 5 events
    const pages = await allPages(`/runs/${runId}/journal?limit=2`);
    expect(pages.map((page) => page.entries.map((entry) => entry.revision))).toEqual([['0', '1'], ['2', '3'], ['4']]);
  });

  it('has no next page when the journal fills the last page exactly', async () => {
    const runId = await runWithSteps(3); // 4 events
    const pages = await allPages(`/runs/${runId}/journal`);
    expect(pages.map((page) => page.entries.length)).toEqual([4]);
  });

  it("pages a tree's journal in commit order, the same entries as unpaged", async () => {
    const root = await startRun(h);
    const child = (await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201)).body as Child;
    await h.http.post(`/runs/${child.run.runId}/steps`).send({ name: 'child step' }).expect(201);
    await h.http.post(`/runs/${root.runId}/steps`).send({ name: 'root step' }).expect(201);
    await h.http.post(`/runs/${child.run.runId}/complete`).send({}).expect(200);
    await h.http.post(`/runs/${root.runId}/complete`).send({}).expect(200);

    const pages = await allPages(`/runs/${root.runId}/journal?descendants=true&limit=3`);
    const paged = pages.flatMap((page) => page.entries);
    const collected = ((await h.http.get(`/runs/${root.runId}?includeDescendants=true`).expect(200)).body as { journal: JournalEntry[] }).journal;
    expect(paged).toEqual(collected);
    expect(pages.every((page) => page.entries.length <= 3)).toBe(true);
    expect(pages[0].next).toMatch(new RegExp(`^/runs/${root.runId}/journal\\?descendants=true&after=\\d+%2F\\d+&limit=3$`));
  });

  it("walks a tree's journal over many pages: every event of every run once, in position order", async () => {
    const root = await startRun(h);
    const spawn = async (parentId: string) => ((await h.http.post(`/runs/${parentId}/children`).send({}).expect(201)).body as Child).run.runId;
    const [first, second] = [await spawn(root.runId), await spawn(root.runId)];
    const grandchild = await spawn(first);
    const runIds = [root.runId, first, second, grandchild];
    for (const runId of [...runIds, ...[...runIds].reverse()]) await h.http.post(`/runs/${runId}/steps`).send({ name: 'step' }).expect(201);

    const pages = await allPages(`/runs/${root.runId}/journal?descendants=true&limit=2`);
    const walked = pages.flatMap((page) => page.entries);
    const ownJournals = await Promise.all(runIds.map(async (runId) => (await allPages(`/runs/${runId}/journal`)).flatMap((page) => page.entries)));
    expect(pages.length).toBeGreaterThan(5);
    expect(walked.map((entry) => entry.eventId).sort()).toEqual(ownJournals.flat().map((entry) => entry.eventId).sort());
    const positions = walked.map((entry) => BigInt(entry.position.split('/')[0]));
    expect(positions.every((position, index) => index === 0 || position > positions[index - 1])).toBe(true);
  });

  it('refuses a limit over the page size, a limit of 0 and a malformed cursor, naming the parameter', async () => {
    const runId = await runWithSteps(0);
    for (const query of ['limit=5', 'limit=0', 'limit=two', 'after=x', 'after=1&after=2', 'descendants=true&after=3']) {
      const response = await h.http.get(`/runs/${runId}/journal?${query}`).expect(400);
      expect([query, errorOf(response).code, errorOf(response).details.field]).toEqual([query, 'invalid_option', query.includes('limit') ? 'limit' : 'after']);
    }
    expect(errorOf(await h.http.get(`/runs/${runId}/journal?limit=5`).expect(400)).details.reason).toBe('must be an integer from 1 to 4 (RUNTREE_JOURNAL_PAGE_SIZE)');
  });

  it('answers an empty last page after the last revision', async () => {
    const runId = await runWithSteps(0);
    expect(await pageAt(`/runs/${runId}/journal?after=0`)).toEqual({ entries: [] });
  });

  it('refuses paging a tail: it sends every event', async () => {
    const runId = await runWithSteps(0);
    const response = await h.http.get(`/runs/${runId}/journal?follow=true&limit=2`).set('Accept', 'text/event-stream').expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'unsupported_option', details: { field: 'limit' } });
  });
});
