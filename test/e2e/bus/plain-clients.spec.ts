import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { busOperations } from '../../../apps/runtree/src/bus/index.js';
import { checkedReply } from '../../support/bus-client.js';
import { natsWireCaller, rabbitmqWireCaller, type WireCaller } from '../../fuzz/support/wire-clients.js';
import { brokersAvailable, busConfig, deleteRabbitmqResources, startBusApp, uniquePrefix } from './bus-harness.js';

// A backend with a plain NATS or AMQP library, no Nest: it sends the request object itself and gets
// `{ ok, value | error }` itself, and can list the operations.

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

describeWithBrokers('plain clients', () => {
  const prefix = uniquePrefix();
  const callers: { [transport: string]: WireCaller } = {};
  let app: INestApplication;

  beforeAll(async () => {
    app = await startBusApp(busConfig(prefix, ':memory:', { nats: true, rabbitmq: true }));
    callers.NATS = await natsWireCaller(prefix);
    callers.RabbitMQ = await rabbitmqWireCaller(prefix);
  });

  afterAll(async () => {
    await Promise.all(Object.values(callers).map((caller) => caller.close()));
    await app?.close();
    await deleteRabbitmqResources(prefix);
  });

  describe.each(['NATS', 'RabbitMQ'])('on %s', (transport) => {
    it('start, spawn and read a run with bare requests and bare replies', async () => {
      const caller = callers[transport]!;
      const started = checkedReply('run.start', await caller.plainRequest('run.start', JSON.stringify({ kind: 'plain-root' })));
      expect(started).toEqual({ ok: true, value: expect.objectContaining({ kind: 'plain-root', status: 'running' }) });
      const runId = (started as { value: { runId: string } }).value.runId;

      const spawned = checkedReply('run.spawn', await caller.plainRequest('run.spawn', JSON.stringify({ parent: runId, kind: 'plain-child' })));
      expect(spawned).toEqual({ ok: true, value: expect.objectContaining({ parentRunId: runId, run: expect.objectContaining({ kind: 'plain-child' }) }) });
      const status = checkedReply('run.status', await caller.plainRequest('run.status', JSON.stringify({ runId })));
      expect(status).toMatchObject({ ok: true, value: { childCount: 1 } });
      expect(checkedReply('run.status', await caller.plainRequest('run.status', JSON.stringify({ runId: 'nobody' })))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('lists every operation with its subject', async () => {
      const reply = checkedReply('bus.operations', await callers[transport]!.plainRequest('bus.operations', '{}'));
      const { operations, asyncapi } = (reply as { value: { operations: Array<{ operation: string; subject: string }>; asyncapi: string } }).value;
      expect(operations.map((entry) => entry.operation)).toEqual([...busOperations]);
      expect(operations[0]).toMatchObject({ operation: 'run.start', subject: `${prefix}.run.start` });
      expect(asyncapi).toBe('/docs/asyncapi.json');
    });
  });
});
