import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FuzzTally } from './support/fuzz-tally.js';
import { expectRefused, fuzzAppForFile, type FuzzRequest } from './support/http-fuzz.js';
import { hostileText } from './support/hostile-values.js';
import { hostileRequests, rawBodyCases, type HttpCase } from './support/http-requests.js';
import { adminRoutes, routeName } from './support/http-routes.js';

// Admin and ops routes, fuzzed on an app of their own (a clear that went through would empty the
// read models other suites aim at). The admin routes take no input: every hostile request is a
// 4xx, naming the body or query key when it is a 400/413/415 (switched off or unauthorized, they
// answer 401/403/404 naming no field). The ops routes take none either and ignore a query.

const ADMIN_CASES_PER_ROUTE = 60;
const OPS_CASES_PER_ROUTE = 30;
const tally = new FuzzTally('http admin and ops', 'routes');
const fuzzApp = fuzzAppForFile(tally);

const badRequestStatuses = [400, 413, 415];

describe.each(adminRoutes.map((route) => [routeName(route), route] as const))('%s', (name, route) => {
  it('refuses every hostile request with a 4xx, appending nothing and keeping the read models', async () => {
    await tally.check(name, hostileRequests(route, fuzzApp().fixture), (hostile) => expectRefused(fuzzApp(), hostile.request, { ...hostile.refusal, statuses: undefined, codes: undefined, fieldStatuses: badRequestStatuses }), ADMIN_CASES_PER_ROUTE);
    expect((await fuzzApp().http.get(`/runs/${fuzzApp().fixture.runId}/status`)).status).toBe(200);
  }, 120_000);
});

/** Each ops route and how a success looks, since they take no input and a query changes nothing. */
const opsRoutes = [
  { path: '/health', answered: (text: string) => expect(JSON.parse(text)).toMatchObject({ status: 'ok' }) },
  { path: '/metrics', answered: (text: string) => expect(text).toContain('# HELP') },
  { path: '/docs-json', answered: (text: string) => expect(JSON.parse(text)).toMatchObject({ openapi: expect.any(String) }) },
  { path: '/docs', answered: (text: string) => expect(text).toContain('<html') },
];

const safeQueryText = hostileText({ maxLength: 12 }).filter((text) => !/[\ud800-\udfff]/.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));

describe.each(opsRoutes.map((route) => [route.path, route] as const))('GET %s', (path, route) => {
  it('answers as usual whatever the query, appending nothing', async () => {
    const queries = fc.array(fc.tuple(safeQueryText, safeQueryText), { minLength: 1, maxLength: 4 });
    await tally.check(`GET ${path}`, queries, async (pairs) => {
      const before = await fuzzApp().head();
      const response = await fuzzApp().send({ method: 'GET', url: `${path}?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}` });
      expect(response.status).toBe(200);
      route.answered(response.text);
      expect(await fuzzApp().head()).toBe(before);
    }, OPS_CASES_PER_ROUTE);
  }, 120_000);

  it('refuses every other method and any path under it with a 4xx, naming the body when it cannot be read', async () => {
    const otherMethod = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE' as const);
    const unreadable = rawBodyCases({ method: 'POST', template: path }, fuzzApp().fixture)!;
    const cases: fc.Arbitrary<HttpCase> = fc.oneof(
      // Bodies are read before routing: an unreadable one is a 400/413/415 naming it, a readable one a 404.
      fc.tuple(otherMethod, unreadable).map(([method, hostile]) => ({
        ...hostile,
        request: { ...hostile.request, method } as FuzzRequest,
        refusal: { fields: hostile.refusal.fields },
      })),
      fc.tuple(otherMethod, fc.jsonValue({ maxDepth: 2 })).map(([method, body]) => ({
        label: `${method} with a JSON body`,
        request: { method, url: path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body }) },
        refusal: { statuses: [404], codes: ['not_found'] },
      })),
      safeQueryText.filter((segment) => segment.length > 0).map((segment) => ({
        label: `GET under ${path}`,
        request: { method: 'GET' as const, url: `${path}/${encodeURIComponent(segment)}/x` },
        refusal: { statuses: [404], codes: ['not_found'] },
      })),
    );
    await tally.check(`GET ${path}`, cases, (hostile) => expectRefused(fuzzApp(), hostile.request, { ...hostile.refusal, fieldStatuses: badRequestStatuses }), OPS_CASES_PER_ROUTE);
  }, 120_000);
});
