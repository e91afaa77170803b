import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child } from '@runtree/orchestration';
import { startHttpApp, TEST_ADMIN_TOKEN, type HttpApp } from './http-app.js';

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
}

let h: HttpApp;
let document: OpenApiDocument;
beforeAll(async () => {
  h = await startHttpApp({ env: { RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  document = (await h.http.get('/docs-json').expect(200)).body as OpenApiDocument;
});
afterAll(async () => {
  await h.close();
});

const httpApiRoutes = [
  'POST /runs',
  'GET /runs',
  'GET /runs/{runId}',
  'GET /runs/{runId}/status',
  'GET /runs/{runId}/children',
  'POST /runs/{runId}/children',
  'POST /runs/{runId}/delegations',
  'POST /runs/{runId}/cancel',
  'GET /runs/{runId}/await',
  'POST /runs/{runId}/complete',
  'POST /runs/{runId}/fail',
  'POST /runs/{runId}/steps',
  'POST /runs/{runId}/steps/{stepId}/complete',
  'POST /runs/{runId}/steps/{stepId}/fail',
  'GET /runs/{runId}/journal',
  'POST /sessions',
  'POST /sessions/{sessionId}/close',
  'POST /sessions/{sessionId}/threads',
  'POST /threads/{threadId}/close',
  'POST /admin/clear',
  'POST /admin/rebuild',
] as const;

function documentedRoutes(): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

describe('/docs', () => {
  it('serves the Swagger UI page', async () => {
    const response = await h.http.get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('swagger');
  });

  it('documents every route of the HTTP API', () => {
    // Health and metrics (the ops module) may be listed too; their documentation is theirs.
    expect(documentedRoutes()).toEqual(expect.arrayContaining([...httpApiRoutes]));
  });

  it('documents the error envelope on every route of the HTTP API', () => {
    for (const route of httpApiRoutes) {
      const [method, path] = route.split(' ');
      expect([route, document.paths[path][method.toLowerCase()].responses['400']?.content?.['application/json']?.schema]).toEqual([
        route,
        { $ref: '#/components/schemas/ErrorEnvelope' },
      ]);
    }
  });

  // Every answer `h.http` gets is checked against the served document (http-app.ts): this walks every kind of result.
  it('describes the real responses of every kind: each one conforms to the served document', async () => {
    const session = await h.http.post('/sessions').send({ metadata: { a: 1 } }).expect(201);
    const thread = await h.http.post(`/sessions/${session.body.sessionId}/threads`).send({ name: 't' }).expect(201);
    const root = await h.http.post('/runs').send({ kind: 'root', sessionId: session.body.sessionId }).expect(201);
    const runId = root.body.runId as string;
    const child = await h.http.post(`/runs/${runId}/children`).send({ thread: thread.body.threadId }).expect(201);
    await h.http.post(`/runs/${runId}/steps`).send({ name: 's' }).expect(201);
    await h.http.post(`/runs/${runId}/delegations`).send({ task: 'x', session: { open: {} } }).expect(201);
    await h.http.post(`/runs/${(child.body as Child).run.runId}/complete`).send({ output: 1 }).expect(200);
    await h.http.get(`/runs/${(child.body as Child).run.runId}/await?timeoutMs=0`).expect(200);
    await h.http.get(`/runs/${(child.body as Child).run.runId}/status`).expect(200);
    const collected = await h.http.get(`/runs/${runId}?includeDescendants=true`).expect(200);
    await h.http.get(`/runs/${runId}/journal?descendants=true`).expect(200);
    await h.http.post(`/runs/${runId}/cancel`).send({ reason: 'r' }).expect(200);
    const listed = await h.http.get(`/runs?rootRunId=${runId}&include=metadata,input,output&limit=2`).expect(200);
    await h.http.get('/runs/nope').expect(404);
    await h.http.get('/health').expect(200);
    await h.http.get('/metrics').expect(200);
    await h.http.post('/admin/clear').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200);

    expect((collected.body as { journal: unknown[] }).journal.length).toBeGreaterThan(0);
    // The newest two of the tree: the delegation (cancelled with the tree) and the completed child.
    expect(listed.body).toMatchObject({ runs: [{ status: 'cancelled', input: 'x', cancelReason: expect.anything() }, { status: 'completed', output: 1 }], nextCursor: expect.any(String) });
  });
});
