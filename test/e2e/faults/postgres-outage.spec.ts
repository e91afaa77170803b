// The PostgreSQL read store goes away and comes back under a running workload, through the built
// service run as a child process (as in production: under jest, errors of Node's own sockets come
// from another realm and fail `instanceof Error`). A TCP proxy in front of PostgreSQL drops every
// connection and refuses new ones, then accepts them again on the same port. The journal (the
// EventStoreDB protocol double) stays up throughout, so commands that meet the outage may have
// written their events: those must reach the read models afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openEsdbEventStore, type EventStore } from '@runtree/event-store';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { sendFleetCommand, showsEffect, type FleetCommand } from '../multi-instance/fleet-commands.js';
import { healthOf, type InstanceHealth } from '../multi-instance/fleet-health.js';
import { buildService, InstanceFleet } from '../multi-instance/instance-fleet.js';
import { publicViews } from '../multi-instance/public-views.js';
import { isSuccess, RuntreeClient, successBody } from '../process/runtree-client.js';
import { TimedCalls } from './timed-calls.js';

/** PostgreSQL stays cut off at least this long, so every worker meets it down more than once. */
const MIN_OUTAGE_MS = 3_000;
const COMMAND_WORKERS = 3;
const READ_WORKERS = 2;
/** Children made before the outage, for the completes sent during it (one each). */
const CHILDREN = 12;
/**
 * A call meeting PostgreSQL down must answer 503 within this: reads fail at once (connection
 * refused), commands after the 1.5 s grace. The margin is for a loaded 2-core machine.
 */
const STORE_UNAVAILABLE_BOUND_MS = 8_000;
/** /health must be 200 again, and a new command acknowledged, within this of the restore. */
const RECOVERY_BOUND_MS = 20_000;
const HEALTH_POLL_MS = 250;
const POLL_MS = 50;
/** The build takes 15 s on an idle 2-core machine, the start-up 2 s; both far more when it is loaded. */
const SETUP_TIMEOUT_MS = 240_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test database's URL, with the proxy in front of it. */
function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}

/** How many events of the journal each command id wrote. */
async function eventsByCommand(store: EventStore): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const event of await store.readAll({ maxCount: 1_000_000 })) {
    const commandId = (event.metadata as { commandId?: string } | null)?.commandId;
    if (commandId !== undefined) counts.set(commandId, (counts.get(commandId) ?? 0) + 1);
  }
  return counts;
}

/** Sends a command with its key until it is acknowledged; resolves with the ms that took. */
async function acknowledged(client: RuntreeClient, command: FleetCommand, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const reply = await sendFleetCommand(client, command).catch(() => undefined);
    if (reply !== undefined && isSuccess(reply.status)) return performance.now() - started;
    if (reply !== undefined && reply.status !== 503) throw new Error(`${command.key} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    if (performance.now() - started > timeoutMs) throw new Error(`${command.key} was not acknowledged within ${timeoutMs} ms`);
    await delay(POLL_MS);
  }
}

describe('PostgreSQL read store down and back [TCP proxy cut off and restored, EventStoreDB protocol double journal, service process]', () => {
  let double: EsdbDouble;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let fleet: InstanceFleet;
  let journal: EventStore;
  let baseUrl: string;

  beforeAll(async () => {
    [double, database] = await Promise.all([startEsdbDouble({ batchAppend: true }), createTestDatabase(), buildService()]);
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    fleet = new InstanceFleet({ eventStoreConnectionString: double.connectionString, postgresUrl: throughProxy(database.url, proxy) });
    baseUrl = await fleet.start(0);
    journal = openEsdbEventStore({ connectionString: double.connectionString });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await fleet?.dispose();
    await journal?.close();
    await proxy?.close();
    await double?.stop();
    await database?.drop();
  });

  it('answers store_unavailable in bounded time while PostgreSQL is down, then resumes without a restart, losing nothing', async () => {
    const client = new RuntreeClient(baseUrl);
    const root = 'pg-outage-root';
    successBody(await client.post('/runs', { runId: root, kind: 'root' }));
    const children = Array.from({ length: CHILDREN }, (_, n) => `${root}-c${n}`);
    for (const runId of children) successBody(await client.post(`/runs/${root}/children`, { runId, kind: 'worker' }));
    const before = await healthOf(client);
    expect(before).toMatchObject({ status: 200, down: [] });

    // Commands of every kind and reads of every view, on workers that keep going while PostgreSQL is down.
    const calls = new TimedCalls();
    const outageCommands: FleetCommand[] = [];
    const unusedChildren = [...children];
    const commandFor = (lane: number, n: number): FleetCommand => {
      const id = `pg-out-${lane}-${n}`;
      switch (n % 4) {
        case 0:
          return { kind: 'start', key: `start-${id}`, runId: id };
        case 1:
          return { kind: 'spawn', key: `spawn-${id}`, parentRunId: root, childRunId: id };
        case 2:
          return { kind: 'startStep', key: `step-${id}`, runId: root, stepId: id };
        default: {
          const child = unusedChildren.shift();
          return child === undefined ? { kind: 'start', key: `start-${id}`, runId: id } : { kind: 'complete', key: `complete-${child}`, runId: child };
        }
      }
    };
    const reads = [`/runs/${root}/status`, '/runs?limit=10', `/runs/${root}?includeDescendants=true`, `/runs/${root}/children`];
    let stopping = false;
    const commandWorker = async (lane: number) => {
      for (let n = lane; !stopping; n++) {
        const command = commandFor(lane, n);
        outageCommands.push(command);
        await calls.time(command.key, 'command', () => sendFleetCommand(client, command));
      }
    };
    const readWorker = async (lane: number) => {
      for (let n = lane; !stopping; n++) {
        const path = reads[n % reads.length]!;
        await calls.time(path, 'read', () => client.get(path));
        await delay(POLL_MS); // reads fail at once: do not spin
      }
    };
    const healthDuringOutage: InstanceHealth[] = [];
    const healthWorker = async () => {
      while (!stopping) {
        const started = performance.now();
        healthDuringOutage.push(await healthOf(client));
        calls.calls.push({ what: '/health', kind: 'health', ms: performance.now() - started, status: healthDuringOutage.at(-1)!.status });
        await delay(HEALTH_POLL_MS);
      }
    };

    await proxy.cutOff();
    const downAt = performance.now();
    const workers = Promise.all([
      ...Array.from({ length: COMMAND_WORKERS }, (_, lane) => commandWorker(lane)),
      ...Array.from({ length: READ_WORKERS }, (_, lane) => readWorker(lane)),
      healthWorker(),
    ]);
    await delay(MIN_OUTAGE_MS);
    // On a loaded machine a command may take longer: wait for enough of them rather than cut the outage short.
    for (const deadline = performance.now() + 30_000; calls.of('command').length < COMMAND_WORKERS * 2 || calls.of('read').length < READ_WORKERS * 4; ) {
      if (performance.now() > deadline) break;
      await delay(POLL_MS);
    }
    stopping = true;
    await workers;
    const outageMs = performance.now() - downAt;

    // Every call met PostgreSQL down (none was sent before the cut or answered after the restore): 503 store_unavailable, in bounded time.
    expect(calls.of('command').length).toBeGreaterThanOrEqual(COMMAND_WORKERS * 2);
    expect(calls.of('read').length).toBeGreaterThanOrEqual(READ_WORKERS * 4);
    for (const call of [...calls.of('command'), ...calls.of('read')]) {
      expect({ what: call.what, status: call.status, code: call.errorCode }).toEqual({ what: call.what, status: 503, code: 'store_unavailable' });
      expect(call.ms).toBeLessThan(STORE_UNAVAILABLE_BOUND_MS);
    }
    expect(healthDuringOutage.length).toBeGreaterThan(0);
    for (const health of healthDuringOutage) {
      expect(health.status).toBe(503);
      expect(health.down).toContain('read-store');
    }
    expect(calls.slowest('health')).toBeLessThan(STORE_UNAVAILABLE_BOUND_MS);

    // Restored: /health turns 200 and a new command is acknowledged, with no restart.
    await proxy.restore();
    const upAt = performance.now();
    // A client that keeps trying from the restore on: how long until a command is acknowledged again.
    const firstCommand = acknowledged(client, { kind: 'start', key: 'start-pg-after-0', runId: 'pg-after-0' }, RECOVERY_BOUND_MS);
    firstCommand.catch(() => undefined); // awaited below; a failure must not go unhandled while /health is polled
    // /health: when it is 200 again, and when it reports this (only) instance projecting again.
    let healthBackMs: number | undefined;
    for (;;) {
      const health = await healthOf(client);
      if (health.status === 200) healthBackMs ??= performance.now() - upAt;
      if (health.status === 200 && health.role === 'projector') break;
      if (performance.now() - upAt > RECOVERY_BOUND_MS) throw new Error(`/health still ${health.status} (role ${health.role}) ${RECOVERY_BOUND_MS} ms after the restore: ${health.down.join(', ')} down`);
      await delay(POLL_MS);
    }
    const projectorBackMs = performance.now() - upAt;
    const firstCommandMs = await firstCommand;
    // Now every command and read succeeds at the first try.
    for (let n = 1; n <= 4; n++) successBody(await client.post(`/runs/pg-after-0/children`, { runId: `pg-after-0-c${n}`, kind: 'worker' }, `spawn-pg-after-0-c${n}`));
    for (const path of reads) successBody(await client.get(path));

    // Nothing lost, nothing invented: a command whose events reached the journal while PostgreSQL was down is in the read models; the others are not.
    const journaled = await eventsByCommand(journal);
    const reached = outageCommands.filter((command) => journaled.has(command.key));
    expect(reached.length).toBeGreaterThan(0);
    const shown = await Promise.all(outageCommands.map(async (command) => [command.key, await showsEffect(client, command)] as const));
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(outageCommands.map((command) => [command.key, journaled.has(command.key)])));

    // The clients retry what was answered 503, with the same key: each applies once.
    for (const command of outageCommands) successBody(await sendFleetCommand(client, command));
    const afterRetries = await eventsByCommand(journal);
    expect(reached.map((command) => afterRetries.get(command.key))).toEqual(reached.map((command) => journaled.get(command.key)));
    const shownAfterRetries = await Promise.all(outageCommands.map((command) => showsEffect(client, command)));
    expect(shownAfterRetries.every(Boolean)).toBe(true);

    // The read models equal a replay of the journal.
    const roots = [root, 'pg-after-0', ...outageCommands.filter((command) => command.kind === 'start').map((command) => command.runId)];
    const live = await publicViews(client, baseUrl, roots);
    successBody(await client.admin('rebuild'));
    expect(await publicViews(client, baseUrl, roots)).toEqual(live);
    expect(await healthOf(client)).toMatchObject({ status: 200, down: [] });

    const byKind = (commands: readonly FleetCommand[]) => {
      const counts = new Map<string, number>();
      for (const { kind } of commands) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return [...counts].map(([kind, count]) => `${count} ${kind}`).join(', ');
    };
    console.log(
      `postgres outage: PostgreSQL cut off for ${Math.round(outageMs)} ms; ${calls.of('command').length} commands (${byKind(outageCommands)}) and ${calls.of('read').length} reads ` +
        `all answered 503 store_unavailable (slowest command ${calls.slowest('command')} ms, read ${calls.slowest('read')} ms); ` +
        `/health 503 with read-store down ${healthDuringOutage.length} times (slowest ${calls.slowest('health')} ms); after the restore /health 200 in ${Math.round(healthBackMs!)} ms, role projector in ${Math.round(projectorBackMs)} ms, ` +
        `first command acknowledged in ${Math.round(firstCommandMs)} ms; ${reached.length} commands that reached the journal during the outage (${byKind(reached)}) all in the read models, ` +
        `${outageCommands.length - reached.length} that did not, absent; all retried once: applied exactly once`,
    );
  }, 120_000);
});
