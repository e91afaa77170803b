import { afterAll, beforeAll } from '@jest/globals';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';
import request, { type Response } from 'supertest';
import { startHttpApp, type ErrorBody, type HttpApp } from '../../e2e/http/http-app.js';
import { createFixture, type Fixture } from './fixture.js';
import type { FuzzTally } from './fuzz-tally.js';
import { journalHead } from './journal-head.js';

/** A request as the fuzz suite sends it: the body as raw bytes, so it can be anything. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, already encoded. */
  readonly url: string;
  readonly headers?: { readonly [name: string]: string };
  readonly body?: string | Buffer;
}

/** What a refusal must look like; every field left out is only checked for being there. */
export interface Refusal {
  /** Statuses allowed (all 4xx). Default: any 4xx. */
  readonly statuses?: readonly number[];
  readonly codes?: readonly string[];
  /** The field the error names, in `details.field` (exactly or as the head of its path) and in the message: one of these. */
  readonly fields?: readonly string[];
  /** Check `fields` only on these statuses (a route switched off answers 404 naming no field). Default: on every status. */
  readonly fieldStatuses?: readonly number[];
}

export interface FuzzApp extends HttpApp {
  readonly fixture: Fixture;
  send(request: FuzzRequest): Promise<Response>;
  /** The journal's head, to compare before and after a request (see journalHead). */
  head(): Promise<string>;
}

/** The service on an in-memory store, with a running run and step, an open session and thread to aim at. */
export async function startFuzzApp(): Promise<FuzzApp> {
  const h = await startHttpApp();
  const fixture = await createFixture(h.app.get(Orchestrator));
  const store = h.app.get<symbol, EventStore>(EVENT_STORE);
  // One listening server for every case: supertest would otherwise listen and close once per request.
  const server = request(await h.listen());
  return {
    ...h,
    fixture,
    send: (fuzzed) => {
      let pending = server[fuzzed.method.toLowerCase() as 'get'](fuzzed.url);
      for (const [name, value] of Object.entries(fuzzed.headers ?? {})) pending = pending.set(name, value);
      return fuzzed.body === undefined ? pending : pending.send(fuzzed.body);
    },
    head: () => journalHead(store),
  };
}

/** Sends the request and checks that it was refused the documented way and appended nothing. */
export async function expectRefused(app: FuzzApp, request: FuzzRequest, refusal: Refusal): Promise<Response> {
  const before = await app.head();
  const response = await app.send(request);
  const after = await app.head();
  if (after !== before) throw new Error(`${request.method} ${request.url.slice(0, 200)} appended events (head ${before} → ${after}): ${response.status} ${response.text.slice(0, 300)}`);
  expectRefusal(response, refusal);
  return response;
}

export function expectRefusal(response: Response, refusal: Refusal): void {
  const refused = (reason: string) => new Error(`${reason}; the answer was ${response.status} ${response.text.slice(0, 400)}`);
  const { status } = response;
  if (status < 400 || status >= 500) throw refused('expected a 4xx');
  if (refusal.statuses && !refusal.statuses.includes(status)) throw refused(`expected status ${refusal.statuses.join(' or ')}`);
  const error = (response.body as { error?: Partial<ErrorBody> } | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') throw refused('expected { error: { code, message } }');
  if (refusal.codes && !refusal.codes.includes(error.code)) throw refused(`expected code ${refusal.codes.join(' or ')}`);
  if (refusal.fields === undefined || (refusal.fieldStatuses && !refusal.fieldStatuses.includes(status))) return;
  const field = String(error.details?.field);
  const named = refusal.fields.find((expected) => field === expected || field.startsWith(`${expected}.`) || field.startsWith(`${expected}[`));
  if (named === undefined) throw refused(`expected details.field to name ${refusal.fields.map((expected) => JSON.stringify(expected)).join(' or ')}`);
  if (!error.message.includes(named)) throw refused(`expected the message to name ${JSON.stringify(named)}`);
}

/**
 * One fuzz app for the spec file: started before its tests, then the tally printed and the app
 * closed after them. Call at the top level of the file; the getter gives the running app.
 */
export function fuzzAppForFile(tally: FuzzTally): () => FuzzApp {
  let app: FuzzApp | undefined;
  beforeAll(async () => {
    app = await startFuzzApp();
  });
  afterAll(async () => {
    tally.print();
    await app?.close();
  });
  return () => {
    if (app === undefined) throw new Error('the fuzz app is used before beforeAll started it');
    return app;
  };
}
