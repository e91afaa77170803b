// Once PostgreSQL is back, projection resumes at once: the runner contends for the projector role
// again with a short backoff, cut short when the read store's checkpoint feed reconnects. A command
// sent as soon as /health is 200 again is acknowledged within the outage grace, as before the outage.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { healthOf, type InstanceHealth } from '../multi-instance/fleet-health.js';
import { buildService, InstanceFleet } from '../multi-instance/instance-fleet.js';
import { RuntreeClient, successBody } from '../process/runtree-client.js';

/** Long enough for the runner to fail contending for the role a few times. */
const OUTAGE_MS = 1_000;
/** The service's own bound for a command while the read side is failing: a command after recovery must not take longer. */
const OUTAGE_GRACE_MS = 1_500;
const SETUP_TIMEOUT_MS = 240_000;
const POLL_MS = 50;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function healthUntil(client: RuntreeClient, wanted: (health: InstanceHealth) => boolean, timeoutMs: number): Promise<InstanceHealth> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const health = await healthOf(client);
    if (wanted(health)) return health;
    if (performance.now() > deadline) throw new Error(`/health still ${JSON.stringify(health)} after ${timeoutMs} ms`);
    await delay(POLL_MS);
  }
}

describe('PostgreSQL read store back after a short outage [TCP proxy, EventStoreDB protocol double journal, service process]', () => {
  let double: EsdbDouble;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let fleet: InstanceFleet;
  let client: RuntreeClient;

  beforeAll(async () => {
    [double, database] = await Promise.all([startEsdbDouble({ batchAppend: true }), createTestDatabase(), buildService()]);
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    fleet = new InstanceFleet({ eventStoreConnectionString: double.connectionString, postgresUrl: proxied.toString() });
    client = new RuntreeClient(await fleet.start(0));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await fleet?.dispose();
    await proxy?.close();
    await double?.stop();
    await database?.drop();
  });

  it('acknowledges a command sent once /health is 200 again within the outage grace, as it did before the outage', async () => {
    successBody(await client.post('/runs', { runId: 'resume-before', kind: 'root' }));
    await proxy.cutOff();
    await healthUntil(client, (health) => health.status === 503 && health.down.includes('read-store'), 10_000);
    await delay(OUTAGE_MS);
    await proxy.restore();
    const restoredAt = performance.now();
    const back = await healthUntil(client, (health) => health.status === 200, 10_000);
    const healthBackMs = Math.round(performance.now() - restoredAt);

    const sentAt = performance.now();
    const reply = await client.post('/runs', { runId: 'resume-after', kind: 'root' }, 'start-resume-after');
    const answeredMs = Math.round(performance.now() - sentAt);
    const projectorBack = await healthUntil(client, (health) => health.role === 'projector', 10_000);
    const projectorBackMs = Math.round(performance.now() - restoredAt);
    console.log(
      `postgres restore: /health 200 ${healthBackMs} ms after the restore (role ${back.role}); a command then answered ${reply.status} after ${answeredMs} ms; ` +
        `role ${projectorBack.role} ${projectorBackMs} ms after the restore`,
    );
    expect({ status: reply.status, withinGrace: answeredMs < OUTAGE_GRACE_MS }).toEqual({ status: 201, withinGrace: true });
  }, 60_000);
});
