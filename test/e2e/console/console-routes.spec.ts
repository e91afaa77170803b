import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ListedRun } from '@runtree/orchestration';
import { errorOf, startHttpApp, type HttpApp } from '../http/http-app.js';
import { serverSentEvents } from '../http/server-sent-events.js';
import { buildConsole } from './browser.js';

describe('the routes behind the console', () => {
  let h: HttpApp;
  let baseUrl: string;
  beforeAll(async () => {
    await buildConsole();
    h = await startHttpApp();
    baseUrl = await h.listen();
  }, 120_000);
  afterAll(async () => {
    await h.close();
  });

  const post = (path: string, body: object = {}) => h.http.post(path).send(body).expect((r) => expect(r.status).toBeLessThan(300));

  it('serves the page uncached with a strict content policy, and its hashed assets cached for good', async () => {
    const page = await h.http.get('/ui').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'; script-src 'self'");
    const script = /src="\/ui\/(main-[A-Z0-9]+\.js)"/.exec(page.text)?.[1];
    const asset = await h.http.get(`/ui/${script}`).expect(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 not_found for a file the bundle does not have, and for names that climb out of it', async () => {
    for (const name of ['nothing.js', '..%2Fpackage.json', 'package.json', '.env']) {
      const response = await h.http.get(`/ui/${name}`).expect(404);
      expect(errorOf(response).code).toBe('not_found');
    }
  });

  it('exports the journal as verify reads it, and reports its verification', async () => {
    await post('/runs', { runId: 'audit-root', kind: 'k' });
    await post('/runs/audit-root/children', { runId: 'audit-child' });
    const exported = await h.http.get('/runs/audit-root/journal/export?tree=true').expect(200);
    expect(exported.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="audit-root-tree.ndjson"');
    const lines = exported.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ end: { runId: 'audit-root', tree: true, eventCount: lines.length - 1 } });
    const verification = await h.http.get('/runs/audit-root/journal/verification?tree=true').expect(200);
    expect(verification.body).toEqual({ runId: 'audit-root', tree: true, ok: true, eventCount: lines.length - 1, streamCount: 2, problems: [] });
    expect(errorOf(await h.http.get('/runs/audit-root/journal/verification?tree=maybe').expect(400)).details).toMatchObject({ field: 'tree' });
    expect(errorOf(await h.http.get('/runs/nobody/journal/export').expect(404)).code).toBe('not_found');
  });

  it("feeds a run's whole tree from its root, then each change as it happens", async () => {
    await post('/runs', { runId: 'feed-root', kind: 'k' });
    await post('/runs/feed-root/children', { runId: 'feed-a' });
    const stopper = new AbortController();
    const response = await fetch(`${baseUrl}/runs/feed-a/tree`, { headers: { Accept: 'text/event-stream' }, signal: stopper.signal });
    expect(response.status).toBe(200);
    const events = serverSentEvents(response.body as ReadableStream<Uint8Array>);
    const next = async () => (await events.next()).value as { event: string; data: unknown };
    const snapshot = [await next(), await next(), await next()];
    expect(snapshot.map(({ event }) => event)).toEqual(['run', 'run', 'ready']);
    expect(snapshot.slice(0, 2).map(({ data }) => (data as ListedRun).runId).sort()).toEqual(['feed-a', 'feed-root']);
    expect(snapshot[2]?.data).toEqual({ rootRunId: 'feed-root', runCount: 2 });
    expect(snapshot[0]?.data).not.toHaveProperty('metadata');

    await post('/runs', { runId: 'other-root', kind: 'k' });
    await post('/runs/feed-a/children', { runId: 'feed-a-1' });
    expect(await next()).toMatchObject({ event: 'run', data: { runId: 'feed-a', status: 'running' } });
    expect(await next()).toMatchObject({ event: 'run', data: { runId: 'feed-a-1', parentRunId: 'feed-a', status: 'running' } });
    await post('/runs/feed-a-1/complete', { output: 1 });
    expect(await next()).toMatchObject({ event: 'run', data: { runId: 'feed-a-1', status: 'completed' } });
    stopper.abort();
  });

  it('refuses a tree feed to a client that accepts no event stream, and one of an unknown run', async () => {
    expect(errorOf(await h.http.get('/runs/feed-root/tree').set('Accept', 'application/json').expect(400)).details).toMatchObject({ field: 'accept' });
    expect(errorOf(await h.http.get('/runs/nobody/tree').set('Accept', 'text/event-stream').expect(404)).code).toBe('not_found');
  });
});
