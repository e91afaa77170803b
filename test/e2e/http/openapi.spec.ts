import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child } from '@runtree/orchestration';
import { startHttpApp, TEST_ADMIN_TOKEN, type HttpApp } from './http-app.js';

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: Record<string, Schema>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  readonly components: { readonly schemas: Record<string, Schema> };
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

/** Where `value` breaks `schema`: missing required properties and properties the schema does not have. */
function violations(value: unknown, schema: Schema, path = '$'): string[] {
  const resolved = schema.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  if (resolved === undefined) return [`${path}: unknown schema ${schema.$ref}`];
  if (resolved.type === 'array') {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    return value.flatMap((item, index) => violations(item, resolved.items ?? {}, `${path}[${index}]`));
  }
  if (resolved.type !== 'object' || resolved.properties === undefined) return [];
  if (typeof value !== 'object' || value === null) return [`${path}: not an object`];
  const record = value as Record<string, unknown>;
  const missing = (resolved.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key}: missing`);
  const undocumented = resolved.additionalProperties === false ? Object.keys(record).filter((key) => !(key in resolved.properties!)).map((key) => `${path}.${key}: not documented`) : [];
  const nested = Object.entries(record).flatMap(([key, item]) => (resolved.properties![key] ? violations(item, resolved.properties![key], `${path}.${key}`) : []));
  return [...missing, ...undocumented, ...nested];
}

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

function documented(method: string, path: string, status: number): Schema {
  const schema = document.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`No documented ${status} JSON response for ${method.toUpperCase()} ${path}`);
  return schema;
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

  it('describes the real responses: every required property present, none undocumented', async () => {
    const session = await h.http.post('/sessions').send({ metadata: { a: 1 } }).expect(201);
    const thread = await h.http.post(`/sessions/${session.body.sessionId}/threads`).send({ name: 't' }).expect(201);
    const root = await h.http.post('/runs').send({ kind: 'root', sessionId: session.body.sessionId }).expect(201);
    const runId = root.body.runId as string;
    const child = await h.http.post(`/runs/${runId}/children`).send({ thread: thread.body.threadId }).expect(201);
    const step = await h.http.post(`/runs/${runId}/steps`).send({ name: 's' }).expect(201);
    const delegated = await h.http.post(`/runs/${runId}/delegations`).send({ task: 'x', session: { open: {} } }).expect(201);
    await h.http.post(`/runs/${(child.body as Child).run.runId}/complete`).send({ output: 1 }).expect(200);
    const awaited = await h.http.get(`/runs/${(child.body as Child).run.runId}/await?timeoutMs=0`).expect(200);
    const status = await h.http.get(`/runs/${(child.body as Child).run.runId}/status`).expect(200);
    const collected = await h.http.get(`/runs/${runId}?includeDescendants=true`).expect(200);
    const cancelled = await h.http.post(`/runs/${runId}/cancel`).send({ reason: 'r' }).expect(200);
    const listed = await h.http.get(`/runs?rootRunId=${runId}&include=metadata,input,output&limit=2`).expect(200);
    const notFound = await h.http.get('/runs/nope').expect(404);
    const cleared = await h.http.post('/admin/clear').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200);

    const checks: Array<[string, string, number, unknown]> = [
      ['post', '/sessions', 201, session.body],
      ['post', '/sessions/{sessionId}/threads', 201, thread.body],
      ['post', '/runs', 201, root.body],
      ['post', '/runs/{runId}/children', 201, child.body],
      ['post', '/runs/{runId}/steps', 201, step.body],
      ['post', '/runs/{runId}/delegations', 201, delegated.body],
      ['get', '/runs/{runId}/await', 200, awaited.body],
      ['get', '/runs/{runId}/status', 200, status.body],
      ['get', '/runs/{runId}', 200, collected.body],
      ['post', '/runs/{runId}/cancel', 200, cancelled.body],
      ['get', '/runs', 200, listed.body],
      ['get', '/runs/{runId}', 404, notFound.body],
      ['post', '/admin/clear', 200, cleared.body],
    ];
    for (const [method, path, code, body] of checks) {
      expect([method, path, violations(body, documented(method, path, code))]).toEqual([method, path, []]);
    }
    expect((collected.body as { journal: unknown[] }).journal.length).toBeGreaterThan(0);
    // The newest two of the tree: the delegation (cancelled with the tree) and the completed child.
    expect(listed.body).toMatchObject({ runs: [{ status: 'cancelled', input: 'x', cancelReason: expect.anything() }, { status: 'completed', output: 1 }], nextCursor: expect.any(String) });
  });
});
