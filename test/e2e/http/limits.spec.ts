import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';

const MAX_BODY_BYTES = 1800;
const MAX_PAYLOAD_BYTES = 1500;
const MAX_METADATA_BYTES = 200;
const MAX_ID_LENGTH = 40;
const MAX_AWAIT_TIMEOUT_MS = 5000;

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp({
    env: {
      RUNTREE_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      RUNTREE_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      RUNTREE_MAX_METADATA_BYTES: String(MAX_METADATA_BYTES),
      RUNTREE_MAX_ID_LENGTH: String(MAX_ID_LENGTH),
      RUNTREE_MAX_AWAIT_TIMEOUT_MS: String(MAX_AWAIT_TIMEOUT_MS),
    },
  });
});
afterAll(async () => {
  await h.close();
});

/** A string whose JSON text (quotes included) is `bytes` bytes. */
const jsonStringOf = (bytes: number): string => 'x'.repeat(bytes - 2);

/** A valid start-run body of exactly `bytes` bytes: an input at its limit, some metadata, and a kind to pad it. */
function startRunBodyOf(bytes: number): string {
  const fields = { input: jsonStringOf(MAX_PAYLOAD_BYTES), metadata: { m: jsonStringOf(MAX_METADATA_BYTES / 2) } };
  return JSON.stringify({ ...fields, kind: 'k'.repeat(bytes - JSON.stringify({ ...fields, kind: '' }).length) });
}

describe('RUNTREE_MAX_BODY_BYTES', () => {
  it('reads a body at the limit', async () => {
    const body = startRunBodyOf(MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    await h.http.post('/runs').set('Content-Type', 'application/json').send(body).expect(201);
  });

  it('answers a body one byte over with 413 payload_too_large naming the body and the limit', async () => {
    const response = await h.http.post('/runs').set('Content-Type', 'application/json').send(startRunBodyOf(MAX_BODY_BYTES + 1)).expect(413);
    expect(errorOf(response)).toEqual({
      code: 'payload_too_large',
      message: `Payload too large: body is larger than the limit of ${MAX_BODY_BYTES} bytes (RUNTREE_MAX_BODY_BYTES)`,
      details: { field: 'body', reason: `is larger than the limit of ${MAX_BODY_BYTES} bytes (RUNTREE_MAX_BODY_BYTES)`, limitBytes: MAX_BODY_BYTES },
    });
  });
});

describe('RUNTREE_MAX_PAYLOAD_BYTES', () => {
  it('takes an input, output and task at the limit and refuses one byte more naming the field', async () => {
    const run = await startRun(h, { input: jsonStringOf(MAX_PAYLOAD_BYTES) });
    const overInput = await h.http.post('/runs').send({ input: jsonStringOf(MAX_PAYLOAD_BYTES + 1) }).expect(400);
    expect(errorOf(overInput)).toMatchObject({ code: 'invalid_option', details: { field: 'input' } });
    expect(errorOf(overInput).details.reason).toContain(String(MAX_PAYLOAD_BYTES));

    const overTask = await h.http.post(`/runs/${run.runId}/delegations`).send({ task: jsonStringOf(MAX_PAYLOAD_BYTES + 1) }).expect(400);
    expect(errorOf(overTask)).toMatchObject({ code: 'invalid_option', details: { field: 'task' } });
    await h.http.post(`/runs/${run.runId}/delegations`).send({ task: jsonStringOf(MAX_PAYLOAD_BYTES) }).expect(201);

    const overOutput = await h.http.post(`/runs/${run.runId}/complete`).send({ output: jsonStringOf(MAX_PAYLOAD_BYTES + 1) }).expect(400);
    expect(errorOf(overOutput)).toMatchObject({ code: 'invalid_option', details: { field: 'output' } });
    await h.http.post(`/runs/${run.runId}/complete`).send({ output: jsonStringOf(MAX_PAYLOAD_BYTES) }).expect(200);
  });
});

describe('RUNTREE_MAX_METADATA_BYTES', () => {
  it('takes metadata at the limit and refuses one byte more naming the field', async () => {
    const padding = MAX_METADATA_BYTES - JSON.stringify({ m: '' }).length;
    await h.http.post('/runs').send({ metadata: { m: 'x'.repeat(padding) } }).expect(201);
    const response = await h.http.post('/runs').send({ metadata: { m: 'x'.repeat(padding + 1) } }).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'metadata' } });
  });
});

describe('RUNTREE_MAX_ID_LENGTH and the id characters', () => {
  it('takes an id at the limit and refuses one character more naming the field', async () => {
    await h.http.post('/runs').send({ runId: 'r'.repeat(MAX_ID_LENGTH) }).expect(201);
    const response = await h.http.post('/runs').send({ runId: 'r'.repeat(MAX_ID_LENGTH + 1) }).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'runId', reason: `is ${MAX_ID_LENGTH + 1} characters long, over maxIdLength (${MAX_ID_LENGTH})` } });
  });

  it.each([
    ['a leading $ (system streams)', '$all'],
    ['a category name', '$ce-run'],
    ['a space', 'a b'],
    ['a tab', 'tab\there'],
    ['a control character', 'nul\u0000'],
    ['a slash', 'a/b'],
    ['a letter outside ASCII', 'é'],
  ])('refuses an id with %s, which would not stay a valid stream name', async (_label, runId) => {
    const response = await h.http.post('/runs').send({ runId }).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_option', details: { field: 'runId' } });
    expect(errorOf(response).details.reason).toContain('may only hold letters A-Z a-z, digits and . _ : @ -');
  });

  it.each(['a.b_c:d-9', '6f1c2f3a-0b7e-4a51-9d1f-2d4f7c3b9e10'])('takes %p', async (runId) => {
    await h.http.post('/runs').send({ runId }).expect(201);
  });
});

describe('RUNTREE_MAX_AWAIT_TIMEOUT_MS', () => {
  it('takes a timeout at the maximum and refuses one more naming timeoutMs', async () => {
    const run = await startRun(h);
    await h.http.post(`/runs/${run.runId}/complete`).send({ output: 1 }).expect(200);
    await h.http.get(`/runs/${run.runId}/await?timeoutMs=${MAX_AWAIT_TIMEOUT_MS}`).expect(200);
    const response = await h.http.get(`/runs/${run.runId}/await?timeoutMs=${MAX_AWAIT_TIMEOUT_MS + 1}`).expect(400);
    expect(errorOf(response)).toMatchObject({ code: 'invalid_timeout', details: { field: 'timeoutMs' } });
    expect(errorOf(response).details.reason).toContain(`at most ${MAX_AWAIT_TIMEOUT_MS} ms`);
  });
});
