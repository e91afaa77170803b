import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';
import { busOperations } from '../../apps/runtree/src/bus/index.js';
import { RABBITMQ_COMMAND_PREFETCH } from '../../apps/runtree/src/bus/bus-transports.js';
import { brokersAvailable, busConfig, deleteRabbitmqResources, startBusApp, uniquePrefix } from '../e2e/bus/bus-harness.js';
import { busShape, expectErrorReply, hostilePayloads } from './support/bus-cases.js';
import { createFixture, type Fixture } from './support/fixture.js';
import { FuzzTally } from './support/fuzz-tally.js';
import { journalHead } from './support/journal-head.js';
import { hostileText, jsonText } from './support/hostile-values.js';
import { natsWireCaller, rabbitmqWireCaller, type WireCaller } from './support/wire-clients.js';

// A sample of the bus fuzz on the real brokers, as bytes on the wire: hostile payloads of every
// pattern get an error reply naming the field; bytes that are no request packet (not JSON, no id,
// megabytes of junk) get no reply claiming success, append nothing, and do not stop the intake.

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

const PAYLOADS_PER_TRANSPORT = 60;
/** More than the RabbitMQ prefetch window: junk that held a slot would stop the intake. */
const JUNK_PER_TRANSPORT = RABBITMQ_COMMAND_PREFETCH + 16;
/** The NATS server's default max_payload is 1 MiB; a larger publish is refused by the client. */
const NATS_MAX_PAYLOAD = 1024 * 1024;

describeWithBrokers('hostile messages on the brokers', () => {
  const prefix = uniquePrefix();
  const tally = new FuzzTally('bus wire', 'transports');
  const callers: { [transport: string]: WireCaller } = {};
  let app: INestApplication;
  let store: EventStore;
  let fixture: Fixture;

  beforeAll(async () => {
    app = await startBusApp(busConfig(prefix, ':memory:', { nats: true, rabbitmq: true }));
    store = app.get<symbol, EventStore>(EVENT_STORE);
    fixture = await createFixture(app.get(Orchestrator));
    callers.NATS = await natsWireCaller(prefix);
    callers.RabbitMQ = await rabbitmqWireCaller(prefix);
  });

  afterAll(async () => {
    tally.print();
    await Promise.all(Object.values(callers).map((caller) => caller.close()));
    await app?.close();
    await deleteRabbitmqResources(prefix);
  });


  describe.each(['NATS', 'RabbitMQ'])('on %s', (transport) => {
    it('replies to hostile payloads of every pattern with an error naming the field, appending nothing', async () => {
      const caller = callers[transport];
      const cases = fc
        .constantFrom(...busOperations)
        .chain((operation) => hostilePayloads(busShape(operation), fixture).map((hostile) => ({ operation, hostile, text: jsonText(hostile.payload) })))
        .filter(({ text }) => transport !== 'NATS' || text.length < NATS_MAX_PAYLOAD - 1024);
      await tally.check(transport, cases, async ({ operation, hostile, text }) => {
        const before = await journalHead(store);
        const reply = await caller.request(operation, text);
        expectErrorReply(reply.response, hostile);
        expect(await journalHead(store)).toBe(before);
      }, PAYLOADS_PER_TRANSPORT);
    }, 120_000);

    it('takes bytes that are no request without a success reply, an append or a stalled intake', async () => {
      const caller = callers[transport];
      const largest = transport === 'NATS' ? NATS_MAX_PAYLOAD - 1024 : 2 * 1024 * 1024;
      const junk = fc.oneof(
        hostileText({ minLength: 1, maxLength: 60 }).map((text) => Buffer.from(text)),
        fc.uint8Array({ minLength: 0, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
        // Without an `id` Nest takes a packet for an event: its data is served with no reply, so junk aims at no record.
        fc.constantFrom('{"data":{"runId":"no-such-run"}}', '{"pattern":"x"}', '5', 'null', '[]', '{', '\u0000').map((text) => Buffer.from(text)),
        fc.constantFrom(largest).map((size) => Buffer.alloc(size, 'x')),
      );
      const before = await journalHead(store);
      await tally.check(transport, fc.tuple(fc.constantFrom(...busOperations), junk), ([operation, bytes]) => caller.sendRaw(operation, bytes), JUNK_PER_TRANSPORT);
      const served = await caller.request('run.status', JSON.stringify({ runId: fixture.runId }));
      expect(served.response).toMatchObject({ ok: true, value: { run: { runId: fixture.runId, status: 'running' } } });
      expect(caller.rawReplies.filter((reply) => (reply.response as { ok?: unknown } | undefined)?.ok !== false && reply.err === undefined)).toEqual([]);
      expect(await journalHead(store)).toBe(before);
    }, 120_000);
  });

  it('NATS: a message over max_payload is refused by the client, and the service keeps answering', async () => {
    const caller = callers.NATS;
    await expect(caller.sendRaw('run.start', Buffer.alloc(NATS_MAX_PAYLOAD + 1, 'x'))).rejects.toThrow(/max_payload/);
    expect((await caller.request('run.status', JSON.stringify({ runId: fixture.runId }))).response).toMatchObject({ ok: true });
  });
});
