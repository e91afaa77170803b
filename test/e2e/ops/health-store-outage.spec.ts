import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Orchestrator } from '@runtree/orchestration';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { eventually, startOpsApp } from './ops-app.js';

describe.each([
  { outage: 'suspended and resumed', down: (double: EsdbDouble) => double.suspend(), up: (double: EsdbDouble) => double.resume() },
  { outage: 'stopped and started', down: (double: EsdbDouble) => double.stop(), up: (double: EsdbDouble) => double.start() },
])('GET /health [EventStoreDB protocol double $outage]', ({ down, up }) => {
  let double: EsdbDouble;
  let app: INestApplication;

  beforeAll(async () => {
    double = await startEsdbDouble();
    app = await startOpsApp({ kind: 'esdb', connectionString: double.connectionString });
  });

  afterAll(async () => {
    await double?.start();
    await app?.close();
    await double?.stop();
  });

  it('turns 503 while the store is unreachable and back to 200 once it answers again, without a restart', async () => {
    await app.get(Orchestrator).startRun();
    await request(app.getHttpServer())
      .get('/health')
      .expect(200)
      .expect(({ body }) => expect(body.details.projection).toMatchObject({ status: 'up', lag: 0 }));

    await down(double);
    try {
      const response = await request(app.getHttpServer()).get('/health').expect(503);
      expect(response.body).toMatchObject({ status: 'error', error: { store: { status: 'down' }, projection: { status: 'down' } } });
      // A scrape still answers: the lag it cannot read is NaN (prom-client writes `Nan`), not a reassuring 0.
      const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^runtree_projection_lag_events nan$/im);
    } finally {
      await up(double);
    }

    await eventually(async () => {
      const response = await request(app.getHttpServer()).get('/health');
      expect(response.status).toBe(200);
      expect(response.body.details).toMatchObject({ store: { status: 'up' }, projection: { status: 'up' } });
    });
  }, 60_000);
});
