import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, Orchestrator } from '@runtree/orchestration';
import { busNames, busOperations } from '../../apps/runtree/src/bus/index.js';
import { RABBITMQ_COMMAND_PREFETCH } from '../../apps/runtree/src/bus/bus-transports.js';
import { brokersAvailable, busConfig, deleteRabbitmqResources, startBusApp, uniquePrefix } from '../e2e/bus/bus-harness.js';
import { eventually } from '../e2e/ops/ops-app.js';
import { checkedReply } from '../support/bus-client.js';
import { busShape, expectErrorReply, hostilePayloads } from './support/bus-cases.js';
import { createFixture, type Fixture } from './support/fixture.js';
import { FuzzTally } from './support/fuzz-tally.js';
import { journalHead } from './support/journal-head.js';
import { hostileText, jsonText } from './support/hostile-values.js';
import { natsWireCaller, rabbitmqWireCaller, type WireCaller } from './support/wire-clients.js';

// A sample of the bus fuzz on the real brokers, as bytes on the wire: hostile requests of every
// operation, plain and in Nest's packet, get an error reply naming the field; bytes that are no
// request (not JSON, not an object, a packet without an id, megabytes of junk) sent with a reply
// address get an invalid_option reply naming the request, append nothing, log no error line, and do
// not stop the intake.

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

function isJsonObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonObjectText(bytes: Buffer): boolean {
  try {
    return isJsonObject(JSON.parse(bytes.toString('utf8')));
  } catch {
    return false;
  }
}

const PAYLOADS_PER_TRANSPORT = 60;
/** More than the RabbitMQ prefetch window: junk that held a slot would stop the intake. */
const JUNK_PER_TRANSPORT = RABBITMQ_COMMAND_PREFETCH + 16;
/** The NATS server's default max_payload is 1 MiB; a larger publish is refused by the client. */
const NATS_MAX_PAYLOAD = 1024 * 1024;

/** What the service's loggers were asked to log, by level, while `work` ran (whatever the app's log levels print). */
async function logsDuring(work: () => Promise<void>): Promise<{ error: string[]; warn: string[] }> {
  const error = jest.spyOn(Logger.prototype, 'error');
  const warn = jest.spyOn(Logger.prototype, 'warn');
  try {
    await work();
    return { error: error.mock.calls.map((call) => String(call[0])), warn: warn.mock.calls.map((call) => String(call[0])) };
  } finally {
    error.mockRestore();
    warn.mockRestore();
  }
}

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
        .tuple(fc.constantFrom(...busOperations), fc.boolean())
        .chain(([operation, plain]) => hostilePayloads(busShape(operation), fixture).map((hostile) => ({ operation, plain, hostile, text: jsonText(hostile.payload) })))
        // A plain request that is no object is junk (the next test); in a packet it is a request's bad payload.
        .filter(({ plain, hostile }) => !plain || isJsonObject(hostile.payload))
        .filter(({ text }) => transport !== 'NATS' || text.length < NATS_MAX_PAYLOAD - 1024);
      await tally.check(transport, cases, async ({ operation, plain, hostile, text }) => {
        const before = await journalHead(store);
        const reply = plain ? await caller.plainRequest(operation, text) : (await caller.request(operation, text)).response;
        expectErrorReply(checkedReply(operation, reply), hostile);
        expect(await journalHead(store)).toBe(before);
      }, PAYLOADS_PER_TRANSPORT);
    }, 120_000);

    it('answers bytes that are no request with invalid_option naming the body, without an append, an error log line or a stalled intake', async () => {
      const caller = callers[transport];
      const repliesBefore = caller.rawReplies.length;
      let sent = 0;
      const largest = transport === 'NATS' ? NATS_MAX_PAYLOAD - 1024 : 2 * 1024 * 1024;
      const junk = fc.oneof(
        // Text that happens to be a JSON object is a plain request, not junk.
        hostileText({ minLength: 1, maxLength: 60 }).map((text) => Buffer.from(text)).filter((bytes) => !isJsonObjectText(bytes)),
        fc.uint8Array({ minLength: 0, maxLength: 200 }).map((bytes) => Buffer.from(bytes)).filter((bytes) => !isJsonObjectText(bytes)),
        // Without an `id` Nest would take a packet for an event and run it unanswered: these must be refused, not run.
        fc.constantFrom(
          `{"pattern":"${busNames(prefix).pattern('run.start')}","data":{"runId":"junk-${transport}"}}`,
          '{"pattern":"x"}',
          '5',
          'null',
          '[]',
          '{',
          '\u0000',
        ).map((text) => Buffer.from(text)),
        fc.constantFrom(largest).map((size) => Buffer.alloc(size, 'x')),
        // RabbitMQ's one queue carries every pattern: a request for no operation is refused too (NATS only delivers subscribed subjects).
        ...(transport === 'RabbitMQ' ? [fc.constant(Buffer.from('{"pattern":"no.such.operation","data":{},"id":"1"}'))] : []),
      );
      const before = await journalHead(store);
      const logged = await logsDuring(async () => {
        await tally.check(transport, fc.tuple(fc.constantFrom(...busOperations), junk), async ([operation, bytes]) => {
          await caller.sendRaw(operation, bytes);
          sent += 1;
        }, JUNK_PER_TRANSPORT);
        await eventually(async () => expect(caller.rawReplies.length - repliesBefore).toBeGreaterThanOrEqual(sent), 30_000);
      });
      const replies = caller.rawReplies.slice(repliesBefore);
      expect(replies).toHaveLength(sent);
      for (const reply of replies) {
        // A packet's refusal comes in Nest's packet; a plain client's bare.
        const unwrapped = isJsonObject(reply) && Object.hasOwn(reply, 'response') ? reply.response : reply;
        expect(unwrapped).toEqual({
          ok: false,
          error: {
            code: 'invalid_option',
            message: expect.stringMatching(/^Invalid option: (request must be a JSON object|body\.id is missing|body\.id must be|body\.pattern names no operation)/),
            details: expect.objectContaining({ field: expect.stringMatching(/^(request|body)/) }),
          },
        });
      }
      // No line per message: no error at all, and one warning a minute at most (the first transport's test logs it).
      expect(logged.error).toEqual([]);
      expect(logged.warn.filter((line) => line.startsWith('Refused a bus message')).length).toBeLessThanOrEqual(1);
      const served = await caller.request('run.status', JSON.stringify({ runId: fixture.runId }));
      expect(served.response).toMatchObject({ ok: true, value: { run: { runId: fixture.runId, status: 'running' } } });
      expect(await journalHead(store)).toBe(before);
    }, 120_000);
  });

  it('NATS: a message over max_payload is refused by the client, and the service keeps answering', async () => {
    const caller = callers.NATS;
    await expect(caller.sendRaw('run.start', Buffer.alloc(NATS_MAX_PAYLOAD + 1, 'x'))).rejects.toThrow(/max_payload/);
    expect((await caller.request('run.status', JSON.stringify({ runId: fixture.runId }))).response).toMatchObject({ ok: true });
  });
});
