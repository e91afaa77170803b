import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorOf, startHttpApp, startRun, TEST_ADMIN_TOKEN, type HttpApp } from './http-app.js';

const API_TOKEN = 'test-api-token-abcdefghijklmn';

describe('with RUNTREE_API_TOKEN and RUNTREE_ADMIN_TOKEN set', () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp({ env: { RUNTREE_API_TOKEN: API_TOKEN, RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a request without a token with 401 unauthorized and a Bearer challenge', async () => {
    const response = await h.http.post('/runs').send({}).expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="runtree"');
    expect(errorOf(response)).toEqual({
      code: 'unauthorized',
      message: 'No bearer token: the API needs Authorization: Bearer <RUNTREE_API_TOKEN>',
      details: { reason: 'missing_token' },
    });
  });

  it.each([
    ['a wrong token', `Bearer ${API_TOKEN}x`],
    ['a prefix of the token', `Bearer ${API_TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${Buffer.from(`user:${API_TOKEN}`).toString('base64')}`],
  ])('answers %s with 401 and never echoes it', async (_label, authorization) => {
    const response = await h.http.get('/runs/any/status').set('Authorization', authorization).expect(401);
    expect(errorOf(response).code).toBe('unauthorized');
    expect(response.text).not.toContain(API_TOKEN.slice(0, -1));
  });

  it('says invalid_token when a bearer token was sent but is wrong', async () => {
    const response = await h.http.get('/runs/any/status').auth('not-the-token', { type: 'bearer' }).expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="runtree", error="invalid_token"');
    expect(errorOf(response).details).toEqual({ reason: 'invalid_token' });
  });

  it('serves every API route, /metrics included, with the right token', async () => {
    const created = await h.http.post('/runs').auth(API_TOKEN, { type: 'bearer' }).send({ kind: 'authorized' }).expect(201);
    await h.http.get(`/runs/${created.body.runId}/status`).set('Authorization', `bearer ${API_TOKEN}`).expect(200);
    await h.http.get('/metrics').expect(401);
    await h.http.get('/metrics').auth(API_TOKEN, { type: 'bearer' }).expect(200);
  });

  it('leaves /health and the API documentation open', async () => {
    await h.http.get('/health').expect(200);
    await h.http.get('/docs-json').expect(200);
  });

  it('documents the bearer scheme and the 401, 404, 413 and 429 answers in OpenAPI', async () => {
    type Responses = Record<string, { description: string }>;
    const document = (await h.http.get('/docs-json').expect(200)).body as {
      components: { securitySchemes: Record<string, unknown> };
      security?: unknown[];
      paths: Record<string, Record<string, { responses: Responses }>>;
    };
    // Per route, not for the whole document: /health and the documents need no token.
    expect(document.components.securitySchemes).toMatchObject({ apiToken: { type: 'http', scheme: 'bearer' }, adminToken: { type: 'http', scheme: 'bearer' } });
    expect(document.security).toBeUndefined();
    const responses = (method: string, path: string): Responses => document.paths[path][method].responses;
    expect(responses('post', '/runs')['401'].description).toContain('unauthorized');
    expect(responses('post', '/runs')['413'].description).toContain('payload_too_large');
    expect(responses('get', '/runs/{runId}/await')['429'].description).toContain('too_many_requests');
    expect(responses('get', '/runs/{runId}/journal')['429'].description).toContain('too_many_requests');
    expect(Object.keys(responses('post', '/admin/clear'))).toEqual(expect.arrayContaining(['401', '404']));
  });

  it('lets the admin token use the API too', async () => {
    await h.http.post('/runs').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).send({}).expect(201);
  });

  it('needs the admin token, not the API token, on admin routes', async () => {
    const withApiToken = await h.http.post('/admin/rebuild').auth(API_TOKEN, { type: 'bearer' }).expect(401);
    expect(errorOf(withApiToken)).toMatchObject({ code: 'unauthorized', message: 'The bearer token is not valid: this admin route needs Authorization: Bearer <RUNTREE_ADMIN_TOKEN>' });
    await h.http.post('/admin/clear').expect(401);
    await h.http.post('/admin/rebuild').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200);
  });
});

describe('without tokens', () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp();
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the API without a token', async () => {
    await startRun(h);
    await h.http.get('/metrics').expect(200);
  });

  it('keeps the admin routes off (404 saying how to turn them on), whatever token is sent, and changes nothing', async () => {
    const run = await startRun(h);
    for (const route of ['/admin/clear', '/admin/rebuild']) {
      const response = await h.http.post(route).auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(404);
      expect(errorOf(response)).toEqual({
        code: 'not_found',
        message: `No route POST ${route}: admin routes are off (set RUNTREE_ADMIN_TOKEN to turn them on)`,
        details: { method: 'POST', path: route },
      });
    }
    await h.http.get(`/runs/${run.runId}/status`).expect(200); // not cleared
  });
});

describe('with only RUNTREE_ADMIN_TOKEN set', () => {
  it('serves the API openly and the admin routes with the admin token', async () => {
    const h = await startHttpApp({ env: { RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
    try {
      const run = await startRun(h);
      await h.http.post('/admin/clear').auth('wrong-token-wrong-token', { type: 'bearer' }).expect(401);
      await h.http.get(`/runs/${run.runId}/status`).expect(200);
      await h.http.post('/admin/clear').auth(TEST_ADMIN_TOKEN, { type: 'bearer' }).expect(200);
      await h.http.get(`/runs/${run.runId}/status`).expect(404);
    } finally {
      await h.close();
    }
  });
});
