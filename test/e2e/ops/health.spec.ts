import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { BrokerHealth } from '../../../apps/runtree/src/ops/index.js';
import { startOpsApp } from './ops-app.js';

describe('GET /health [sqlite]', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startOpsApp({ kind: 'sqlite', path: ':memory:' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is 200 with the store and the caught-up projection up, and reports the lag', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toMatchObject({
      status: 'ok',
      details: { store: { status: 'up' }, 'read-store': { status: 'up', kind: 'sqlite' }, projection: { status: 'up', lag: 0, role: 'projector' } },
    });
    expect(Object.keys(response.body.details)).toEqual(['store', 'read-store', 'projection']);
    expect(response.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
  });

  it('checks every registered broker: 503 naming the one that is down, the others listed as up', async () => {
    const brokers = app.get(BrokerHealth);
    let natsConnected = true;
    brokers.register('nats', async () => natsConnected);
    brokers.register('rabbitmq', async () => true);

    await request(app.getHttpServer())
      .get('/health')
      .expect(200)
      .expect(({ body }) => expect(body.details).toMatchObject({ nats: { status: 'up' }, rabbitmq: { status: 'up' } }));

    natsConnected = false;
    const response = await request(app.getHttpServer()).get('/health').expect(503);

    expect(response.body).toMatchObject({
      status: 'error',
      error: { nats: { status: 'down', message: 'nats is not connected' } },
      info: { store: { status: 'up' }, projection: { status: 'up' }, rabbitmq: { status: 'up' } },
    });
    expect(Object.keys(response.body.error)).toEqual(['nats']);
  });

  it('counts a broker probe that throws or hangs as down', async () => {
    const brokers = app.get(BrokerHealth);
    brokers.register('nats', () => Promise.reject(new Error('connection closed')));
    brokers.register('rabbitmq', () => new Promise<boolean>(() => undefined));

    const response = await request(app.getHttpServer()).get('/health').expect(503);

    expect(response.body.error).toEqual({
      nats: expect.objectContaining({ status: 'down', message: 'connection closed' }),
      rabbitmq: expect.objectContaining({ status: 'down', message: expect.stringContaining('timeout') }),
    });
  });
});
