import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { get } from 'node:http';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';
import { eventually } from '../ops/ops-app.js';

const MAX_AWAITERS = 2;
const MAX_FOLLOWERS = 1;
const LONG_WAIT_MS = 60_000;

let h: HttpApp;
let baseUrl: string;
beforeAll(async () => {
  h = await startHttpApp({ env: { RUNTREE_MAX_AWAITERS_PER_CLIENT: String(MAX_AWAITERS), RUNTREE_MAX_FOLLOWERS_PER_CLIENT: String(MAX_FOLLOWERS) } });
  baseUrl = await h.listen();
});
afterAll(async () => {
  await h.close();
});

/** An await that waits until the run ends, the client leaves, or LONG_WAIT_MS. */
function longAwait(runId: string, signal?: AbortSignal): Promise<number> {
  return fetch(`${baseUrl}/runs/${runId}/await?timeoutMs=${LONG_WAIT_MS}`, { signal }).then(
    (response) => response.status,
    () => 0, // aborted by the test
  );
}

/** 408 while the client has an await slot free (timeoutMs=0 answers at once), 429 when it has none. */
async function probeAwait(runId: string): Promise<number> {
  return (await fetch(`${baseUrl}/runs/${runId}/await?timeoutMs=0`)).status;
}

/** Waits until the server holds all the client's await slots (the long awaits have arrived). */
async function untilAwaitsFull(runId: string): Promise<void> {
  await eventually(async () => expect(await probeAwait(runId)).toBe(429));
}

describe('RUNTREE_MAX_AWAITERS_PER_CLIENT', () => {
  it('answers one await too many with 429 too_many_requests and Retry-After', async () => {
    const run = await startRun(h);
    const waiting = [longAwait(run.runId), longAwait(run.runId)];
    await untilAwaitsFull(run.runId);
    const response = await h.http.get(`/runs/${run.runId}/await?timeoutMs=10`).expect(429);
    expect(response.headers['retry-after']).toBe('1');
    expect(errorOf(response)).toMatchObject({ code: 'too_many_requests', details: { limit: 'maxAwaitersPerClient', max: MAX_AWAITERS } });
    expect(errorOf(response).message).toContain('RUNTREE_MAX_AWAITERS_PER_CLIENT=2');

    // Answered awaits give their slots back.
    await h.http.post(`/runs/${run.runId}/complete`).send({ output: 'done' }).expect(200);
    expect(await Promise.all(waiting)).toEqual([200, 200]);
    await h.http.get(`/runs/${run.runId}/await?timeoutMs=10`).expect(200);
  });

  it('gives the slots of timed-out awaits back', async () => {
    const run = await startRun(h);
    const timedOut = await Promise.all([
      fetch(`${baseUrl}/runs/${run.runId}/await?timeoutMs=50`).then((response) => response.status),
      fetch(`${baseUrl}/runs/${run.runId}/await?timeoutMs=50`).then((response) => response.status),
    ]);
    expect(timedOut).toEqual([408, 408]);
    const waiting = [longAwait(run.runId), longAwait(run.runId)];
    await untilAwaitsFull(run.runId);
    await h.http.post(`/runs/${run.runId}/complete`).send({}).expect(200);
    expect(await Promise.all(waiting)).toEqual([200, 200]);
  });

  it('gives the slot of a client that disconnects back', async () => {
    const run = await startRun(h);
    const leaving = new AbortController();
    const waiting = [longAwait(run.runId, leaving.signal), longAwait(run.runId, leaving.signal)];
    await untilAwaitsFull(run.runId);
    leaving.abort();
    await Promise.all(waiting);
    await eventually(async () => expect(await probeAwait(run.runId)).toBe(408));
  });

  it('leaks no slot over many requests: afterwards exactly the limit fits again', async () => {
    const run = await startRun(h);
    for (let round = 0; round < 20; round++) {
      const statuses = await Promise.all([probeAwait(run.runId), probeAwait(run.runId), probeAwait(run.runId)]);
      expect(statuses.every((status) => status === 408 || status === 429)).toBe(true);
    }
    const waiting = [longAwait(run.runId), longAwait(run.runId)];
    await untilAwaitsFull(run.runId);
    await h.http.post(`/runs/${run.runId}/complete`).send({}).expect(200);
    expect(await Promise.all(waiting)).toEqual([200, 200]);
  });
});

/** Opens a journal tail; resolves with its status once the headers are in. */
async function follow(runId: string, signal: AbortSignal): Promise<Response> {
  return fetch(`${baseUrl}/runs/${runId}/journal?follow=true`, { headers: { Accept: 'text/event-stream' }, signal });
}

/** The status of a tail opened from another loopback address, i.e. another client (then closed). */
function followFrom(localAddress: string, runId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(`${baseUrl}/runs/${runId}/journal?follow=true`, { headers: { Accept: 'text/event-stream' }, localAddress }, (response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', reject);
  });
}

describe('RUNTREE_MAX_FOLLOWERS_PER_CLIENT', () => {
  it('refuses a tail over the limit with 429, counts each client apart, and frees the slot when the tail closes', async () => {
    const run = await startRun(h);
    const first = new AbortController();
    expect((await follow(run.runId, first.signal)).status).toBe(200);

    const refused = await h.http.get(`/runs/${run.runId}/journal?follow=true`).set('Accept', 'text/event-stream').expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(errorOf(refused)).toMatchObject({ code: 'too_many_requests', details: { limit: 'maxFollowersPerClient', max: MAX_FOLLOWERS } });
    // The journal pages are not tails: they stay open to the client.
    await h.http.get(`/runs/${run.runId}/journal`).expect(200);
    expect(await followFrom('127.0.0.2', run.runId)).toBe(200);

    first.abort();
    await eventually(async () => {
      const again = new AbortController();
      const response = await follow(run.runId, again.signal);
      again.abort();
      expect(response.status).toBe(200);
    });
  });
});
