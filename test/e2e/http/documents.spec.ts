import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Parser } from '@asyncapi/parser';
import { createAsyncApiDocument } from '../../../apps/runtree/src/bus/asyncapi-document.js';
import { BUS_SECTION_BEGIN, BUS_SECTION_END, renderBusSection } from '../../../apps/runtree/src/bus/bus-readme-section.js';
import { ASYNCAPI_PATH, OPENAPI_PATH } from '../../../apps/runtree/src/protocol/document-paths.js';
import { OpenApiResponses } from '../../support/openapi-responses.js';
import { checkedReply } from '../../support/bus-client.js';
import { inMemoryConfig, startHttpApp, type HttpApp } from './http-app.js';

// The service's two documents: served open, valid by their own specifications' checkers, and the
// README's bus section is the AsyncAPI document rendered (`npm run docs:bus` writes it).

const run = promisify(execFile);
const TOKEN = 'documents-token-0123456789';

let h: HttpApp;
let openApi: Record<string, unknown>;
let asyncApi: Record<string, unknown>;
beforeAll(async () => {
  h = await startHttpApp({ env: { RUNTREE_API_TOKEN: TOKEN } });
  openApi = (await h.http.get(OPENAPI_PATH).expect(200)).body as Record<string, unknown>;
  asyncApi = (await h.http.get(ASYNCAPI_PATH).expect(200)).body as Record<string, unknown>;
});
afterAll(async () => {
  await h.close();
});

interface Operation {
  readonly security?: ReadonlyArray<Record<string, unknown>>;
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string }>;
  readonly responses: Record<string, { readonly headers?: Record<string, unknown>; readonly content?: Record<string, unknown> }>;
}

const operation = (path: string, method: string) => (openApi.paths as Record<string, Record<string, Operation>>)[path]![method]!;

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and passes `redocly lint` with the recommended rules: 0 errors', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'runtree-openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      await writeFile(file, JSON.stringify(openApi));
      const outcome = await run('node_modules/.bin/redocly', ['lint', file, '--extends', 'recommended', '--format', 'json'], { maxBuffer: 16 * 1024 * 1024 }).catch(
        (failure: { stdout: string }) => failure,
      );
      const problems = (JSON.parse(outcome.stdout) as { problems: Array<{ severity: string; ruleId: string; message: string }> }).problems;
      expect(openApi.openapi).toBe('3.1.0');
      expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps /health open and asks a token of the API, the admin token of admin routes', () => {
    expect(operation('/health', 'get').security).toEqual([]);
    expect(operation('/runs', 'post').security).toEqual([{ apiToken: [] }]);
    expect(operation('/metrics', 'get').security).toEqual([{ apiToken: [] }]);
    expect(operation('/admin/clear', 'post').security).toEqual([{ adminToken: [] }]);
    expect(operation('/runs', 'post').responses['401']).toBeDefined();
    expect(operation('/health', 'get').responses['401']).toBeUndefined();
  });

  it("declares the journal's NDJSON and event stream, its Link header, and the Idempotency-Key of every command", () => {
    const journal = operation('/runs/{runId}/journal', 'get').responses['200']!;
    expect(Object.keys(journal.content ?? {}).sort()).toEqual(['application/x-ndjson', 'text/event-stream']);
    expect(journal.headers).toHaveProperty('Link');
    for (const [path, method] of [['/runs', 'post'], ['/runs/{runId}/children', 'post'], ['/sessions', 'post']] as const) {
      expect(operation(path, method).parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    }
  });

  it('takes its schemas from the codecs: the limits the service runs with are the ones it states', async () => {
    const narrow = await startHttpApp({ env: { RUNTREE_MAX_ID_LENGTH: '40' } });
    try {
      const document = (await narrow.http.get(OPENAPI_PATH).expect(200)).body as { components: { schemas: Record<string, { properties: Record<string, { maxLength?: number }> }> } };
      expect(document.components.schemas.StartRunRequest!.properties.runId!.maxLength).toBe(40);
    } finally {
      await narrow.close();
    }
  });
});

describe('the checks every test answer goes through', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };

  it('refuses an HTTP answer the OpenAPI document does not describe: a missing field, an undocumented status or media type', () => {
    const responses = new OpenApiResponses(openApi);
    const run = { runId: 'r', kind: 'k', status: 'running', metadata: {}, createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', revision: '0' };
    expect(responses.violations('post', '/runs', { status: 201, headers: json, body: run })).toEqual([]);
    const { revision: _, ...withoutRevision } = run;
    expect(responses.violations('post', '/runs', { status: 201, headers: json, body: withoutRevision })).toEqual([expect.stringContaining('revision')]);
    expect(responses.violations('post', '/runs', { status: 201, headers: json, body: { ...run, owner: 'me' } })).toEqual([expect.stringContaining('owner')]);
    expect(responses.violations('post', '/runs', { status: 418, headers: json, body: {} })).toEqual([expect.stringContaining('418 is not documented')]);
    expect(responses.violations('get', '/runs/r/journal', { status: 200, headers: { 'content-type': 'application/x-ndjson' }, text: '{"eventId":1}\n' })).not.toEqual([]);
    expect(responses.violations('get', '/runs/r/status', { status: 200, headers: { 'content-type': 'text/html' }, text: '<p>' })).toEqual([expect.stringContaining('text/html')]);
  });

  it('refuses a bus reply the AsyncAPI document does not describe', () => {
    expect(checkedReply('run.cancel', { ok: true, value: { runId: 'r', cancelled: [] } })).toEqual({ ok: true, value: { runId: 'r', cancelled: [] } });
    expect(() => checkedReply('run.cancel', { ok: true, value: { runId: 'r' } })).toThrow(/cancelled/);
    expect(() => checkedReply('run.status', { ok: false, error: { code: 'no_such_code', message: 'm', details: {} } })).toThrow(/run.status reply/);
    expect(() => checkedReply('run.status', { response: { ok: true, value: {} }, isDisposed: true })).toThrow();
  });
});

describe('the AsyncAPI document', () => {
  it('is served open at /docs/asyncapi.json, as the service describes its bus', () => {
    const config = inMemoryConfig();
    expect(asyncApi).toEqual(JSON.parse(JSON.stringify(createAsyncApiDocument({ prefix: config.busPrefix, limits: config.limits.validation }))));
  });

  it('is a valid AsyncAPI 3.0 document: the parser reports no error', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(asyncApi));
    // Severity 0 is an error in the parser's (Spectral's) scale.
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`)).toEqual([]);
    expect(asyncApi.asyncapi).toBe('3.0.0');
  }, 60_000);

  it("is what the README's bus section shows", async () => {
    const readme = await readFile('README.md', 'utf8');
    const rendered = renderBusSection(asyncApi as never);
    const begin = readme.indexOf(BUS_SECTION_BEGIN);
    const end = readme.indexOf(BUS_SECTION_END) + BUS_SECTION_END.length;
    if (process.env.RUNTREE_RENDER_README === 'true' && begin >= 0) {
      await writeFile('README.md', `${readme.slice(0, begin)}${rendered}${readme.slice(end)}`);
      return;
    }
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(readme.slice(begin, end)).toBe(rendered);
  });
});
