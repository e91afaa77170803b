// Three instances of the built service share one journal (the EventStoreDB protocol double) and one
// read side (a PostgreSQL database). Commands go round robin; each acknowledgement is read back at
// once on other instances. The projecting instance is killed with SIGKILL under load: another one
// takes over, nothing is lost or projected twice, and the killed one comes back as a reader.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { treeViolations } from '../../support/tree-invariants.js';
import { RuntreeClient, successBody } from '../process/runtree-client.js';
import { healthOf, rolesOf } from './fleet-health.js';
import { showsEffect } from './fleet-commands.js';
import { FleetLedger, type LedgerEntry } from './fleet-ledger.js';
import { buildService, InstanceFleet } from './instance-fleet.js';
import { asExpected, expectedRuns, type ExpectedRun } from './ledger-expectations.js';
import { publicViews, runIdsOf, type PublicViews } from './public-views.js';
import { RoundRobin } from './round-robin.js';
import { runTree, TREE_ENDINGS } from './tree-script.js';

const SLOTS = [0, 1, 2] as const;
/** Trees built at once before the kill, every instance alive: each acknowledgement is read on both others. */
const WARM_UP_TREES = 6;
/** Concurrent clients of the load, each building one tree after another. */
const LOAD_WORKERS = 6;
/** Load commands acknowledged before the kill, and after the takeover before the load stops. */
const ACKNOWLEDGED_BEFORE_KILL = 40;
const ACKNOWLEDGED_AFTER_TAKEOVER = 40;
/** The kill follows a command sent to the projector by this much, so it lands with requests in flight. */
const KILL_DELAY_MS = 2;
/**
 * A new projector must report itself within this of the kill. Takeover is one blocked lock query
 * returning once PostgreSQL sees the dead connection close; the margin is for a loaded machine.
 */
const TAKEOVER_BOUND_MS = 10_000;
/** Every instance must report lag 0 within this once the load is over. */
const SETTLE_BOUND_MS = 15_000;
const POLL_MS = 25;
const EFFECT_READS_AT_ONCE = 25;
/** A command waits up to 10 s for the read models; an answer later than this counts as none (then it is retried). */
const REQUEST_TIMEOUT_MS = 15_000;
/** The build takes 15 s on an idle 2-core machine, start-ups 2 s each; both far more when it is loaded. */
const SETUP_TIMEOUT_MS = 240_000;
/** The test itself takes 20-30 s on an idle machine. */
const TEST_TIMEOUT_MS = 180_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; throws after `timeoutMs`, or at once when `failure` reports one. */
async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, failure: () => Error | undefined = () => undefined): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const failed = failure();
    if (failed !== undefined) throw failed;
    if (await condition()) return;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await delay(POLL_MS);
  }
}

/** The runs of the views in the shape of the ledger's expectations, by run id. */
function runsAsViewed(views: PublicViews): Record<string, ExpectedRun> {
  return Object.fromEntries(views.trees.flatMap((tree) => runIdsOf(tree).map((runId) => [runId, asExpected(tree.run.runId, views.statuses[runId]!)] as const)));
}

/** The keys of the commands whose effect `client` does not show, read a few at a time. */
async function effectsNotShown(client: RuntreeClient, entries: readonly LedgerEntry[]): Promise<string[]> {
  const missing: string[] = [];
  for (let from = 0; from < entries.length; from += EFFECT_READS_AT_ONCE) {
    const batch = entries.slice(from, from + EFFECT_READS_AT_ONCE);
    const shown = await Promise.all(batch.map((entry) => showsEffect(client, entry.command)));
    missing.push(...batch.filter((_, index) => !shown[index]).map((entry) => entry.command.key));
  }
  return missing;
}

let double: EsdbDouble;
let database: TestDatabase;
let fleet: InstanceFleet;
const urls: string[] = [];

beforeAll(async () => {
  const [started, created] = await Promise.all([startEsdbDouble({ batchAppend: true }), createTestDatabase(), buildService()]);
  double = started;
  database = created;
  fleet = new InstanceFleet({ eventStoreConnectionString: double.connectionString, postgresUrl: database.url });
  urls.push(...(await Promise.all(SLOTS.map((slot) => fleet.start(slot)))));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await fleet?.dispose();
  await double?.stop();
  await database?.drop();
});

describe('three instances on one EventStoreDB (protocol double) and one PostgreSQL read side, the projector killed with SIGKILL under load', () => {
  it(
    'reads every write from any instance, hands projection over within seconds, and loses, repeats and leaves behind nothing',
    () => fleet.explainingFailures(async () => {
      const started = performance.now();
      const clients = urls.map((url) => new RuntreeClient(url, { requestTimeoutMs: REQUEST_TIMEOUT_MS }));
      const routing = new RoundRobin(clients, SLOTS, SLOTS);
      let armed = false;
      let killing: Promise<void> | undefined;
      let killedAt = 0;
      let projector = -1;
      let survivors: number[] = [];
      const ledger = new FleetLedger(routing, (instance) => {
        if (!armed || instance !== projector) return;
        armed = false;
        killing = delay(KILL_DELAY_MS).then(() => {
          routing.live = survivors;
          killedAt = performance.now();
          return fleet.kill(projector);
        });
      });
      const send = ledger.send.bind(ledger);

      // One projector, two readers.
      const roles = await rolesOf(clients);
      expect([...roles].sort()).toEqual(['projector', 'reader', 'reader']);
      projector = roles.indexOf('projector');
      survivors = SLOTS.filter((slot) => slot !== projector);

      // Warm-up: every instance takes commands, both others read each one back at once.
      const warmUpRoots = Array.from({ length: WARM_UP_TREES }, (_, n) => `mi-warm-${n}`);
      await Promise.all(warmUpRoots.map((root, n) => runTree(send, root, TREE_ENDINGS[n % TREE_ENDINGS.length]!)));
      expect(ledger.missedReads).toEqual([]);
      expect(new Set(ledger.acknowledged.map((entry) => entry.acknowledgedBy))).toEqual(new Set(SLOTS));
      const warmUpChecks = ledger.readYourWritesChecks;

      // Load on all three, reads on the survivors only; then the projector is killed mid-request.
      routing.readers = survivors;
      let stopping = false;
      let failure: Error | undefined;
      const loadRoots: string[] = [];
      const worker = async () => {
        while (!stopping) {
          const n = loadRoots.length;
          loadRoots.push(`mi-load-${n}`);
          await runTree(send, `mi-load-${n}`, TREE_ENDINGS[n % TREE_ENDINGS.length]!);
        }
      };
      const load = Promise.all(Array.from({ length: LOAD_WORKERS }, worker)).catch((error: unknown) => void (failure = error as Error));
      let takeoverMs: number;
      let newProjector: number;
      try {
        const beforeLoad = ledger.acknowledged.length;
        await until('load acknowledged before the kill', () => ledger.acknowledged.length - beforeLoad >= ACKNOWLEDGED_BEFORE_KILL, 60_000, () => failure);
        armed = true;
        await until('the kill', () => killing !== undefined, 30_000, () => failure);
        await killing;
        const projectorAmong = async () => survivors[(await rolesOf(survivors.map((slot) => clients[slot]!))).indexOf('projector')];
        await until('a survivor reporting the projector role', async () => (await projectorAmong()) !== undefined, TAKEOVER_BOUND_MS + 30_000, () => failure);
        takeoverMs = performance.now() - killedAt;
        newProjector = (await projectorAmong())!;
        const atTakeover = ledger.acknowledged.length;
        await until('load acknowledged after the takeover', () => ledger.acknowledged.length - atTakeover >= ACKNOWLEDGED_AFTER_TAKEOVER, 60_000, () => failure);
      } finally {
        stopping = true;
        await load;
      }
      if (failure !== undefined) throw failure;
      console.log(`multi-instance: projector (instance ${projector}) killed; instance ${newProjector} reported the projector role ${Math.round(takeoverMs)} ms later`);
      expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);

      // Every command was acknowledged in the end, some only on retry: the kill caught requests in flight.
      const figures = ledger.figures;
      expect(figures.acknowledged).toBe(figures.commands);
      expect(figures.unanswered).toBeGreaterThan(0);
      expect(ledger.missedReads).toEqual([]);
      expect(await rolesOf(survivors.map((slot) => clients[slot]!))).toEqual(survivors.map((slot) => (slot === newProjector ? 'projector' : 'reader')));

      // The killed instance comes back, as a reader.
      urls[projector] = await fleet.start(projector);
      clients[projector] = new RuntreeClient(urls[projector]!, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
      expect((await healthOf(clients[projector]!)).role).toBe('reader');

      // Nothing left behind: every instance healthy, lag 0.
      const settled = async () => (await Promise.all(clients.map(healthOf))).every((health) => health.status === 200 && health.lag === 0);
      await until('lag 0 on every instance', settled, SETTLE_BOUND_MS);

      // Every instance shows exactly what the ledger acknowledged, each run once, and the invariants hold.
      const roots = [...warmUpRoots, ...loadRoots];
      const expected = Object.fromEntries(expectedRuns(ledger.acknowledged.map((entry) => entry.command)));
      const expectedIds = Object.keys(expected).sort();
      const views = await Promise.all(SLOTS.map((slot) => publicViews(clients[slot]!, urls[slot]!, roots)));
      for (const [slot, view] of views.entries()) {
        expect({ slot, runs: runsAsViewed(view) }).toEqual({ slot, runs: expected });
        expect({ slot, listed: view.listing.map((run) => run.runId).sort() }).toEqual({ slot, listed: expectedIds });
        const expectedByRoot = Object.fromEntries(roots.map((root) => [root, expectedIds.filter((runId) => expected[runId]!.rootRunId === root)]));
        expect({ slot, byRoot: Object.fromEntries(Object.entries(view.byRoot).map(([root, ids]) => [root, [...ids].sort()])) }).toEqual({ slot, byRoot: expectedByRoot });
        expect({ slot, violations: treeViolations(view.trees) }).toEqual({ slot, violations: [] });
      }
      expect(views[1]).toEqual(views[0]);
      expect(views[2]).toEqual(views[0]);
      // Each acknowledged command's own effect, read on every instance (no later command of the scripts undoes one).
      const notShown = (await Promise.all(SLOTS.map((slot) => effectsNotShown(clients[slot]!, ledger.acknowledged)))).flatMap((keys, slot) => keys.map((key) => `${key} on ${slot}`));
      expect(notShown).toEqual([]);

      // A rebuild from the journal, on the survivor that reads, gives every instance the same views back.
      const rebuiltOn = survivors.find((slot) => slot !== newProjector)!;
      successBody(await clients[rebuiltOn]!.admin('rebuild'));
      const rebuilt = await Promise.all(SLOTS.map((slot) => publicViews(clients[slot]!, urls[slot]!, roots)));
      for (const view of rebuilt) expect(view).toEqual(views[0]);

      // After the rebuild and the restart, all three take commands again and read each other's at once.
      routing.live = SLOTS;
      routing.readers = SLOTS;
      const beforeLast = ledger.entries.size;
      await Promise.all(TREE_ENDINGS.map((ending, n) => runTree(send, `mi-after-${n}`, ending)));
      const last = [...ledger.entries.values()].slice(beforeLast);
      expect(new Set(last.map((entry) => entry.acknowledgedBy))).toEqual(new Set(SLOTS));
      expect(ledger.missedReads).toEqual([]);
      await until('lag 0 on every instance after the last trees', settled, SETTLE_BOUND_MS);
      expect(await rolesOf(clients)).toEqual(SLOTS.map((slot) => (slot === newProjector ? 'projector' : 'reader')));

      const total = ledger.figures;
      console.log(
        `multi-instance: ${roots.length + TREE_ENDINGS.length} trees, ${expectedIds.length + last.filter((entry) => ['start', 'spawn', 'delegate'].includes(entry.command.kind)).length} runs; ` +
          `${total.commands} commands sent (${total.requests} requests), ${total.acknowledged} acknowledged, ${total.retried} retried ` +
          `(${total.unanswered} requests unanswered, ${total.unavailable} answered 503); ` +
          `${ledger.readYourWritesChecks} read-your-writes checks on another instance (${warmUpChecks} in the warm-up), ${ledger.missedReads.length} missed; ` +
          `takeover ${Math.round(takeoverMs)} ms after the SIGKILL; ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }),
    TEST_TIMEOUT_MS,
  );
});
