// The EventStoreDB store goes away mid-run and comes back, under a running workload, through the
// whole HTTP service: the protocol double is stopped (connections cut, as a killed server) and
// started again on the same port with the same log, twice, while workers spawn and complete runs,
// two awaiters wait and an SSE client follows the root's journal. No service restart in between.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReadStore } from '@runtree/read-store';
import { READ_STORE, type AwaitResult, type Child, type JournalEntry } from '@runtree/orchestration';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { delay } from '../../support/orchestrator-expect.js';
import { startHttpApp, TEST_ADMIN_TOKEN, type HttpApp } from '../http/http-app.js';
import { serverSentEvents, type ServerSentEvent } from '../http/server-sent-events.js';
import { eventually } from '../ops/ops-app.js';
import { effectOf } from '../process/effects.js';
import { RuntreeClient, successBody } from '../process/runtree-client.js';
import { CommandLedger } from './command-ledger.js';

const OUTAGES = 2;
const WORKERS = 4;
/** Confirmed commands wanted before each outage and after the last one. */
const CONFIRMED_PER_PHASE = 8;
/** The store stays down at least this long, so commands meet it down and the short awaiter times out. */
const MIN_OUTAGE_MS = 2_500;
/**
 * A command meeting the store down must answer 503 within this. The retry policy gives up within
 * 1.5 s by default; the margin is for a loaded 2-core machine, not for the service.
 */
const STORE_UNAVAILABLE_BOUND_MS = 8_000;
const SHORT_AWAIT_MS = 2_000;
const LONG_AWAIT_MS = 90_000;

describe('store outage mid-run [EventStoreDB protocol double stopped and started, HTTP service]', () => {
  let double: EsdbDouble;
  let service: HttpApp;
  let baseUrl: string;

  beforeAll(async () => {
    double = await startEsdbDouble();
    service = await startHttpApp({ env: { RUNTREE_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString, RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
    baseUrl = await service.listen();
  }, 30_000);

  afterAll(async () => {
    await double?.start();
    await service?.close();
    await double?.stop();
  });

  it('answers store_unavailable fast while the store is down, then recovers without a restart, losing and repeating nothing', async () => {
    const client = new RuntreeClient(baseUrl);
    const ledger = new CommandLedger(client);
    const root = 'outage-root';
    successBody(await client.post('/runs', { runId: root, kind: 'root' }));
    for (const runId of ['outage-long-awaited', 'outage-short-awaited']) {
      successBody(await client.post(`/runs/${root}/children`, { runId, kind: 'awaited' }));
    }

    const follower = new AbortController();
    const tail = await fetch(`${baseUrl}/runs/${root}/journal?follow=true`, { headers: { Accept: 'text/event-stream' }, signal: follower.signal });
    expect(tail.status).toBe(200);
    const followed = collectUntilTerminal(serverSentEvents(tail.body!));
    const longAwait = awaitRun(baseUrl, 'outage-long-awaited', LONG_AWAIT_MS);

    let stopping = false;
    const worker = async (lane: number) => {
      for (let n = 0; !stopping; n++) {
        const childRunId = `${root}-w${lane}-${n}`;
        const spawned = await ledger.send({ kind: 'spawn', key: `spawn-${childRunId}`, parentRunId: root, childRunId, racing: false });
        if (spawned) await ledger.send({ kind: 'complete', key: `complete-${childRunId}`, runId: childRunId, racing: false });
        else await delay(50); // the store is down: do not spin
      }
    };
    const workers = Promise.all(Array.from({ length: WORKERS }, (_, lane) => worker(lane)));

    const health: number[] = [];
    const recoveries: number[] = [];
    let shortAwait: Promise<{ status: number; body: unknown }> | undefined;
    try {
      for (let outage = 0; outage < OUTAGES; outage++) {
        const confirmedBefore = ledger.confirmed.length;
        await eventually(async () => expect(ledger.confirmed.length - confirmedBefore).toBeGreaterThanOrEqual(CONFIRMED_PER_PHASE), 30_000);
        if (outage === 0) {
          shortAwait = awaitRun(baseUrl, 'outage-short-awaited', SHORT_AWAIT_MS);
          await delay(200); // let it register before the store goes
        }

        await double.stop();
        ledger.storeDown();
        const current = ledger.outages.at(-1)!;
        await eventually(async () => expect(ledger.failedDuringOutage(current)).toBeGreaterThanOrEqual(WORKERS), 30_000);
        health.push((await client.get('/health')).status);
        await delay(Math.max(0, MIN_OUTAGE_MS - (performance.now() - current.down)));

        ledger.storeBack();
        await double.start();
        await eventually(async () => expect((await client.get('/health')).status).toBe(200), 30_000);
        health.push(200);
        recoveries.push(performance.now() - current.up!);
      }
      await eventually(async () => expect(ledger.confirmedSinceLastOutage()).toBeGreaterThanOrEqual(CONFIRMED_PER_PHASE), 30_000);
    } finally {
      stopping = true;
      await workers;
    }

    // Commands that met the store down answered 503 store_unavailable, each within the bound.
    const duringOutages = ledger.duringOutages;
    expect(duringOutages.length).toBeGreaterThanOrEqual(OUTAGES * WORKERS);
    for (const entry of duringOutages) {
      expect({ status: entry.status, code: entry.errorCode }).toEqual({ status: 503, code: 'store_unavailable' });
      expect(entry.errorMessage).toMatch(/gave up after \d+ attempts? over \d+ ms/);
      expect(entry.finishedAt - entry.startedAt).toBeLessThan(STORE_UNAVAILABLE_BOUND_MS);
    }
    // Any answer at all was a success or store_unavailable: nothing crashed and nothing hung.
    expect(ledger.sent.filter((entry) => entry.status === undefined || (entry.status >= 300 && entry.status !== 503))).toEqual([]);
    expect(health).toEqual(Array.from({ length: OUTAGES }, () => [503, 200]).flat());

    // The awaiters: the short one timed out during the outage, the long one gets its run's answer.
    expect(await shortAwait).toMatchObject({ status: 408, body: { error: { code: 'timeout' } } });
    successBody(await client.post('/runs/outage-long-awaited/complete', { output: 'after the outages' }));
    expect(await longAwait).toMatchObject({ status: 200, body: { status: 'completed', output: 'after the outages' } });

    // Every confirmed command's effect is there.
    const effects = await Promise.all(ledger.confirmed.map((entry) => effectOf(client, entry.command)));
    const lost = effects.filter((effect) => effect !== 'applied').length;
    expect(lost).toBe(0);

    // The follower saw the root's journal exactly: every event once, in revision order.
    successBody(await client.post(`/runs/${root}/complete`, { output: 'done' }));
    const received = await followed;
    follower.abort();
    const journal = await journalOf(baseUrl, root);
    const receivedIds = received.map((event) => event.data.eventId);
    const duplicates = receivedIds.length - new Set(receivedIds).size;
    const missed = journal.filter((entry) => !receivedIds.includes(entry.eventId)).length;
    expect({ duplicates, missed }).toEqual({ duplicates: 0, missed: 0 });
    expect(received.map((event) => event.id)).toEqual(journal.map((entry) => entry.revision));
    expect(journal.map((entry) => entry.revision)).toEqual(journal.map((_, index) => String(index)));
    const children = successBody<Child[]>(await client.get(`/runs/${root}/children`));
    expect(new Set(children.map((child) => child.run.runId)).size).toBe(children.length);

    // The live read models equal a replay of the journal.
    const readStore = service.app.get<ReadStore>(READ_STORE);
    const live = await readStore.dump();
    await service.http.post('/admin/rebuild').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).expect(200);
    expect(await readStore.dump()).toEqual(live);

    const failed = ledger.sent.filter((entry) => entry.status === 503);
    const slowest = Math.max(...duringOutages.map((entry) => entry.finishedAt - entry.startedAt));
    console.log(
      `store faults [EventStoreDB double]: ${OUTAGES} faults injected (store stopped and started); ${ledger.sent.length} commands sent, ` +
        `${ledger.confirmed.length} confirmed, ${failed.length} failed with store_unavailable (slowest while down ${Math.round(slowest)} ms); ` +
        `/health 200 again ${recoveries.map((ms) => Math.round(ms)).join(' and ')} ms after the store came back; ` +
        `SSE follower ${received.length} events: events lost ${lost + missed}, duplicates ${duplicates}`,
    );
  }, 180_000);
});

/** GET /runs/:id/await, with its own time limit (longer than RuntreeClient's). */
async function awaitRun(baseUrl: string, runId: string, timeoutMs: number): Promise<{ status: number; body: AwaitResult | unknown }> {
  const response = await fetch(`${baseUrl}/runs/${runId}/await?timeoutMs=${timeoutMs}`, { signal: AbortSignal.timeout(timeoutMs + 30_000) });
  return { status: response.status, body: await response.json() };
}

/** The follower's events up to the root's own terminal event. */
async function collectUntilTerminal(events: AsyncGenerator<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const received: ServerSentEvent[] = [];
  for await (const event of events) {
    received.push(event);
    if (event.event === 'RunCompleted') break;
  }
  return received;
}

async function journalOf(baseUrl: string, runId: string): Promise<JournalEntry[]> {
  const response = await fetch(`${baseUrl}/runs/${runId}/journal`);
  expect(response.status).toBe(200);
  return (await response.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JournalEntry);
}
