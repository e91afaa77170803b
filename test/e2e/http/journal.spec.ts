import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Child, JournalEntry } from '@runtree/orchestration';
import { errorOf, startHttpApp, startRun, type HttpApp } from './http-app.js';
import { serverSentEvents, type ServerSentEvent } from './server-sent-events.js';

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(async () => {
  await h.close();
});

function parseNdjson(text: string): JournalEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalEntry);
}

describe('GET /runs/:runId/journal', () => {
  it("answers the run's events as NDJSON, one JournalEntry per line", async () => {
    const root = await startRun(h);
    await h.http.post(`/runs/${root.runId}/complete`).send({ output: 'done' }).expect(200);
    const response = await h.http.get(`/runs/${root.runId}/journal`).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const entries = parseNdjson(response.text);
    expect(entries.map((entry) => [entry.type, entry.revision, entry.streamName])).toEqual([
      ['RunStarted', '0', `run-${root.runId}`],
      ['RunCompleted', '1', `run-${root.runId}`],
    ]);
  });

  it("merges the descendants' events in commit order with descendants=true", async () => {
    const root = await startRun(h);
    const child = (await h.http.post(`/runs/${root.runId}/children`).send({}).expect(201)).body as Child;
    const entries = parseNdjson((await h.http.get(`/runs/${root.runId}/journal?descendants=true`).expect(200)).text);
    expect(entries.map((entry) => `${entry.streamName} ${entry.type}`)).toEqual([
      `run-${root.runId} RunStarted`,
      `run-${root.runId} ChildSpawned`,
      `run-${child.run.runId} RunStarted`,
    ]);
    const positions = entries.map((entry) => BigInt(entry.position.split('/')[0]));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
  });

  it('answers 404 for an unknown run and 400 for bad query parameters', async () => {
    expect(errorOf(await h.http.get('/runs/nope/journal').expect(404)).code).toBe('not_found');
    expect(errorOf(await h.http.get('/runs/nope/journal?follow=yes').expect(400)).code).toBe('invalid_option');
    expect(errorOf(await h.http.get('/runs/nope/journal?from=0').expect(400)).code).toBe('unsupported_option');
    const root = await startRun(h);
    const both = await h.http.get(`/runs/${root.runId}/journal?follow=true&descendants=true`).set('Accept', 'text/event-stream').expect(400);
    expect(errorOf(both)).toMatchObject({ code: 'unsupported_option', details: { field: 'descendants' } });
    const notAnEventStream = await h.http.get(`/runs/${root.runId}/journal?follow=true`).set('Accept', 'application/json').expect(400);
    expect(errorOf(notAnEventStream)).toMatchObject({ code: 'invalid_option', details: { field: 'follow' } });
  });
});

describe('GET /runs/:runId/journal?follow=true (event stream)', () => {
  it('sends the existing events, then new ones as they are appended, until the client leaves', async () => {
    const baseUrl = await h.listen();
    const root = await startRun(h);
    await h.http.post(`/runs/${root.runId}/steps`).send({ name: 'think' }).expect(201);

    const client = new AbortController();
    const response = await fetch(`${baseUrl}/runs/${root.runId}/journal?follow=true`, { headers: { Accept: 'text/event-stream' }, signal: client.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = serverSentEvents(response.body!);

    const existing = [(await events.next()).value, (await events.next()).value] as ServerSentEvent[];
    expect(existing.map((event) => [event.id, event.event])).toEqual([
      ['0', 'RunStarted'],
      ['1', 'StepStarted'],
    ]);

    await h.http.post(`/runs/${root.runId}/complete`).send({ output: 'live' }).expect(200);
    const live: ServerSentEvent[] = [];
    for await (const event of events) {
      live.push(event);
      if (event.event === 'RunCompleted') break;
    }
    // Completing a run with a running step cancels the step first.
    expect(live.map((event) => event.event)).toEqual(['StepCancelled', 'RunCompleted']);
    expect(live[1]).toMatchObject({ id: '3', data: { type: 'RunCompleted', streamName: `run-${root.runId}`, revision: '3', data: { output: 'live' } } });
    client.abort();
  });

  it('ends open streams when the service shuts down, instead of holding the shutdown', async () => {
    const own = await startHttpApp();
    const baseUrl = await own.listen();
    const root = await startRun(own);
    const response = await fetch(`${baseUrl}/runs/${root.runId}/journal?follow=true`, { headers: { Accept: 'text/event-stream' } });
    const events = serverSentEvents(response.body!);
    expect((await events.next()).value).toMatchObject({ event: 'RunStarted' });
    await own.close();
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('answers 404 before opening a stream for an unknown run', async () => {
    const response = await h.http.get('/runs/nope/journal?follow=true').set('Accept', 'text/event-stream').expect(404);
    expect(errorOf(response).code).toBe('not_found');
  });
});
