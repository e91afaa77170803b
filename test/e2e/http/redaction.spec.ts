import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Writable } from 'node:stream';
import { createServer, type AddressInfo } from 'node:net';
import request from 'supertest';
import { Orchestrator, OrchestratorError } from '@runtree/orchestration';
import { createRuntreeApp } from '../../../apps/runtree/src/create-app.js';
import { brokersAvailable, natsCaller, natsUrl, uniquePrefix, type BusCaller } from '../bus/bus-harness.js';
import { inMemoryConfig } from './http-app.js';

/** Every line the app's logger writes, as written (JSON). */
class CapturingLogger extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
    done();
  }
}

/** A port nothing listens on: every connection to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const secrets = {
  esdbPassword: 'EsdbSecret-123',
  natsPassword: 'NatsSecret-456',
  rabbitmqPassword: 'RmqSecret-789',
  apiToken: 'ApiSecret-abcdefghijklmnop',
  adminToken: 'AdminSecret-qrstuvwxyz0123',
};

function expectNoSecretIn(text: string): void {
  for (const [name, secret] of Object.entries(secrets)) expect([name, text.includes(secret)]).toEqual([name, false]);
}

describe('secrets in every variable, with the store and the brokers unreachable', () => {
  const logger = new CapturingLogger();
  let connectionString: string;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const answers: string[] = [];

  beforeAll(async () => {
    const port = await closedPort();
    connectionString = `esdb://admin:${secrets.esdbPassword}@127.0.0.1:${port}?tls=false`;
    const config = inMemoryConfig({
      RUNTREE_STORE: 'esdb',
      EVENTSTORE_CONNECTION_STRING: connectionString,
      RUNTREE_NATS_URL: `nats://natsuser:${secrets.natsPassword}@127.0.0.1:${port}`,
      RUNTREE_RABBITMQ_URL: `amqp://rmquser:${secrets.rabbitmqPassword}@127.0.0.1:${port}`,
      RUNTREE_API_TOKEN: secrets.apiToken,
      RUNTREE_ADMIN_TOKEN: secrets.adminToken,
    });
    app = await createRuntreeApp(config, { logDestination: logger });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /health 503 naming what is down, without a secret', async () => {
    const response = await http.get('/health').expect(503);
    expect(response.body).toMatchObject({ status: 'error', error: { store: { status: 'down' }, nats: { status: 'down' }, rabbitmq: { status: 'down' } } });
    answers.push(response.text);
  });

  it('answers a command 503 store_unavailable without a secret', async () => {
    const response = await http.post('/runs').auth(secrets.apiToken, { type: 'bearer' }).send({}).expect(503);
    expect(response.body).toMatchObject({ error: { code: 'store_unavailable' } });
    answers.push(response.text);
  });

  it('redacts a store error that quotes the connection string, in the answer and in the log', async () => {
    const orchestrator = app.get(Orchestrator);
    const quoting = jest.spyOn(orchestrator, 'status');
    quoting.mockRejectedValueOnce(new OrchestratorError('store_unavailable', `The event store failed: cannot reach ${connectionString}`, {}));
    const unavailable = await http.get('/runs/any/status').auth(secrets.apiToken, { type: 'bearer' }).expect(503);
    expect(unavailable.body.error.message).toBe(`The event store failed: cannot reach ${connectionString.replace(`admin:${secrets.esdbPassword}@`, '***@')}`);

    quoting.mockRejectedValueOnce(new Error(`driver crashed with ${secrets.adminToken} in ${connectionString}`));
    const internal = await http.get('/runs/any/status').auth(secrets.apiToken, { type: 'bearer' }).expect(500);
    quoting.mockRestore();
    expect(logger.lines.some((line) => line.includes('driver crashed with *** in esdb://***@127.0.0.1'))).toBe(true);
    answers.push(unavailable.text, internal.text);
  });

  it('redacts a secret a client sent where an id goes, in the error answer', async () => {
    const response = await http.get(`/runs/${secrets.adminToken}/status`).auth(secrets.apiToken, { type: 'bearer' }).expect(404);
    expect(response.body.error).toMatchObject({ code: 'not_found', message: 'Run *** not found', details: { runId: '***' } });
    answers.push(response.text);
  });

  it('left no secret in any answer or log line', async () => {
    expect(answers.length).toBe(5);
    expect(logger.lines.length).toBeGreaterThan(0);
    expectNoSecretIn(answers.join('\n'));
    expectNoSecretIn(logger.lines.join('\n'));
  });
});

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

describeWithBrokers('bus error replies', () => {
  const prefix = uniquePrefix();
  const logger = new CapturingLogger();
  const quotedUrl = `amqp://rmquser:${secrets.rabbitmqPassword}@mq.internal:5672`;
  let app: INestApplication;
  let bus: BusCaller;

  beforeAll(async () => {
    const config = inMemoryConfig({ RUNTREE_BUS_PREFIX: prefix, RUNTREE_NATS_URL: natsUrl, RUNTREE_RABBITMQ_URL: quotedUrl, RUNTREE_ADMIN_TOKEN: secrets.adminToken });
    // RabbitMQ is configured only for its password to count as a secret; its transport is not started.
    app = await createRuntreeApp({ ...config, rabbitmqUrl: undefined }, { logDestination: logger });
    await app.init();
    await app.get(Orchestrator).ensureReady();
    await app.startAllMicroservices();
    bus = await natsCaller(prefix);
  });
  afterAll(async () => {
    await bus?.close();
    await app?.close();
  });

  it('are redacted, coded errors and unexpected ones alike', async () => {
    const quoting = jest.spyOn(app.get(Orchestrator), 'status');
    quoting.mockRejectedValueOnce(new OrchestratorError('store_unavailable', `The event store failed: cannot reach ${quotedUrl}`, { token: secrets.adminToken }));
    quoting.mockRejectedValueOnce(new Error(`driver crashed with ${secrets.adminToken}`));
    const unavailable = await bus.call('run.status', { runId: 'any' });
    const internal = await bus.call('run.status', { runId: 'any' });
    quoting.mockRestore();
    expect(unavailable).toEqual({
      ok: false,
      error: { code: 'store_unavailable', message: 'The event store failed: cannot reach amqp://***@mq.internal:5672', details: { token: '***' } },
    });
    expect(internal).toEqual({ ok: false, error: { code: 'internal_error', message: 'driver crashed with ***', details: {} } });
    expectNoSecretIn(logger.lines.join('\n'));
  });
});
