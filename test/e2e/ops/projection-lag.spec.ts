// `runtree_projection_lag_events` and /health's lag must come back to 0 once the service is idle,
// in every configuration: an alert on lag > 0 that never clears is no alert. With a bus, the
// publisher keeps writing its own checkpoint events to the log after the last Runtree event.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE } from '@runtree/orchestration';
import type { EventStore } from '@runtree/event-store';
import { busNames } from '../../../apps/runtree/src/bus/index.js';
import { loadRuntreeConfig, type RuntreeConfig } from '../../../apps/runtree/src/config.js';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { brokersAvailable, natsUrl, rabbitmqUrl, startRuntreeService, uniquePrefix } from '../bus/bus-harness.js';
import { eventually, sample } from './ops-app.js';

interface Configuration {
  readonly name: string;
  readonly bus: boolean;
  /** The environment, given what the configuration started (a database, a store double). */
  env(resources: { database?: TestDatabase; esdb?: EsdbDouble }): NodeJS.ProcessEnv;
  readonly postgres?: boolean;
  readonly esdb?: boolean;
}

const configurations: Configuration[] = [
  { name: 'SQLite, no bus', bus: false, env: () => ({}) },
  { name: 'SQLite, NATS and RabbitMQ', bus: true, env: () => ({ RUNTREE_NATS_URL: natsUrl, RUNTREE_RABBITMQ_URL: rabbitmqUrl }) },
  { name: 'SQLite, NATS with JetStream off', bus: true, env: () => ({ RUNTREE_NATS_URL: natsUrl }) },
  {
    name: 'EventStoreDB double, PostgreSQL read store, NATS',
    bus: true,
    postgres: true,
    esdb: true,
    env: ({ database, esdb }) => ({
      RUNTREE_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: esdb!.connectionString,
      RUNTREE_READ_STORE: 'postgres',
      RUNTREE_POSTGRES_URL: database!.url,
      RUNTREE_NATS_URL: natsUrl,
    }),
  },
];

const withBrokers = await brokersAvailable();

describe.each(configurations)('the projection lag when idle [$name]', (configuration) => {
  const run = configuration.bus && !withBrokers ? it.skip : it;
  const prefix = uniquePrefix();
  let database: TestDatabase | undefined;
  let esdb: EsdbDouble | undefined;
  let app: INestApplication;

  beforeAll(async () => {
    if (configuration.bus && !withBrokers) return;
    if (configuration.postgres) database = await createTestDatabase();
    if (configuration.esdb) esdb = await startEsdbDouble();
    const loaded = loadRuntreeConfig({ RUNTREE_SQLITE_PATH: ':memory:', RUNTREE_BUS_PREFIX: prefix, ...configuration.env({ database, esdb }) });
    if (!loaded.ok) throw new Error(loaded.error);
    const config: RuntreeConfig = loaded.value;
    app = await startRuntreeService(config);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await esdb?.stop();
    await database?.drop();
  });

  run('is 0 on /metrics and /health once the work is done, and stays 0 after the publisher saved its checkpoint', async () => {
    const http = request(app.getHttpServer());
    const root = (await http.post('/runs').send({ kind: 'root' }).expect(201)).body as { runId: string };
    const child = (await http.post(`/runs/${root.runId}/children`).send({ kind: 'leaf' }).expect(201)).body as { run: { runId: string } };
    await http.post(`/runs/${child.run.runId}/complete`).send({ output: 1 }).expect(200);

    if (configuration.bus) {
      // The publisher's checkpoint lands in the log after the last Runtree event: what made the lag stick at 1.
      const store = app.get<EventStore>(EVENT_STORE);
      await eventually(async () => {
        const [saved] = await store.readStream(busNames(prefix).publisherCheckpointStream, { direction: 'backwards', maxCount: 1 });
        expect(saved).toBeDefined();
      });
    }

    await eventually(async () => {
      const metrics = (await http.get('/metrics').expect(200)).text;
      expect(sample(metrics, 'runtree_projection_lag_events')).toBe(0);
    });
    const health = await http.get('/health').expect(200);
    expect(health.body.details.projection).toMatchObject({ status: 'up', lag: 0 });
  });
});
