import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, LimitsPolicy, Orchestrator } from '@runtree/orchestration';
import { connect } from 'node:net';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';

/** Writes `text` on a new connection and reads everything until the server closes it. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe('malformed requests', () => {
  let h: HttpApp;
  beforeAll(async () => {
    h = await startHttpApp();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a body that is not JSON (400 invalid_option naming the body)', async () => {
    const response = await h.http.post('/runs').set('Content-Type', 'application/json').send('{"kind": ').expect(400);
    expect(errorOf(response)).toEqual({ code: 'invalid_option', message: 'Invalid option: body is not valid JSON', details: { field: 'body', reason: 'is not valid JSON' } });
  });

  it('refuses a JSON body that is not an object', async () => {
    const response = await h.http.post('/sessions').send([{ sessionId: 's' }]).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'body', reason: 'must be a JSON object' } });
  });

  it('refuses content sent without a JSON Content-Type instead of ignoring it', async () => {
    const response = await h.http.post('/runs').set('Content-Type', 'text/plain').send('kind=research').expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'body' } });
  });

  it('refuses a body over the default 2 MiB (413 payload_too_large)', async () => {
    const response = await h.http.post('/runs').send({ input: 'x'.repeat(2 * 1024 * 1024) }).expect(413);
    expect(errorOf(response)).toMatchObject({ code: 'payload_too_large', details: { field: 'body', limitBytes: 2 * 1024 * 1024 } });
  });

  it('answers a request that is not HTTP with 400 invalid_option in the envelope, and closes the connection', async () => {
    const url = new URL(await h.listen());
    const answer = await rawExchange(Number(url.port), 'NOT HTTP AT ALL\r\n\r\n');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\nConnection: close/i);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'invalid_option', message: expect.any(String), details: { field: 'request', reason: expect.stringMatching(/^is not valid HTTP\/1\.1 \(HPE_/) } },
    });
  });

  it('answers unknown routes with 404 not_found in the envelope', async () => {
    const response = await h.http.delete('/runs').expect(404);
    expect(errorOf(response)).toMatchObject({ code: 'not_found', details: { method: 'DELETE', path: '/runs' } });
  });

  it('hides what went wrong inside an unexpected failure (500 internal_error)', async () => {
    const orchestrator = h.app.get(Orchestrator);
    const failure = jest.spyOn(orchestrator, 'status').mockRejectedValueOnce(new Error('disk /var/secret/runtree.db is corrupt'));
    const response = await h.http.get('/runs/any/status').expect(500);
    failure.mockRestore();
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Internal server error', details: {} } });
    expect(response.text).not.toContain('secret');
  });
});

describe('a policy denial', () => {
  it('is 403 policy_denied naming the limit', async () => {
    const h = await startHttpApp({ policy: new LimitsPolicy({ maxChildrenPerRun: 1 }) });
    try {
      const root = await startRun(h);
      await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201);
      const response = await h.http.post(`/runs/${root.runId}/delegations`).send({ task: 'one too many' }).expect(403);
      expect(errorOf(response).code).toBe('policy_denied');
      expect(errorOf(response).message).toContain('maxChildrenPerRun');
    } finally {
      await h.close();
    }
  });
});

describe('a store that stopped answering', () => {
  it('makes commands 503 store_unavailable', async () => {
    const h = await startHttpApp();
    try {
      await h.app.get<symbol, EventStore>(EVENT_STORE).close();
      const response = await h.http.post('/runs').send({}).expect(503);
      expect(errorOf(response).code).toBe('store_unavailable');
    } finally {
      await h.close();
    }
  });
});
