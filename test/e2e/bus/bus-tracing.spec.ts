// Traces through the bus, recorded by an in-memory exporter (an SDK registered as the service's
// start-tracing registers one). A backend's view: spawn a child over NATS or RabbitMQ with its own
// `traceparent` header; a worker hears of the child's start on the events bus, with the child's
// trace as a header, and completes it with that header: one trace, caller to worker.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { JournalEntry } from '@runtree/orchestration';
import { busNames, type BusOperation } from '../../../apps/runtree/src/bus/index.js';
import { checkedReply } from '../../support/bus-client.js';
import { natsWireCaller, rabbitmqWireCaller, type WireCaller } from '../../fuzz/support/wire-clients.js';
import { onlySpan, parentOf, recordSpans, spanIdIn } from '../../support/recorded-spans.js';
import { brokersAvailable, busConfig, deleteRabbitmqResources, natsEventListener, rabbitmqEventListener, startBusApp, uniquePrefix, type EventListener } from './bus-harness.js';

const { exporter, provider } = recordSpans();

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

/** A caller's trace begun outside the service, one per transport. */
const callers = {
  NATS: { traceId: '5bf92f3577b34da6a3ce929d0e0e4731', spanId: '10f067aa0ba902b1' },
  RabbitMQ: { traceId: '6bf92f3577b34da6a3ce929d0e0e4732', spanId: '20f067aa0ba902b2' },
} as const;

const traceparentIn = (entry: JournalEntry): unknown => (entry.metadata as { traceparent?: unknown }).traceparent;

describeWithBrokers('traces over the bus', () => {
  const prefix = uniquePrefix();
  const names = busNames(prefix);
  const wire: { [transport: string]: WireCaller } = {};
  const events: { [transport: string]: EventListener } = {};
  let app: INestApplication;

  beforeAll(async () => {
    // Subscribed before anything is published: plain NATS subjects keep nothing for late subscribers.
    events.NATS = await natsEventListener(`${prefix}.events.>`);
    events.RabbitMQ = await rabbitmqEventListener(prefix, `${prefix}.events.#`);
    app = await startBusApp(busConfig(prefix));
    wire.NATS = await natsWireCaller(prefix);
    wire.RabbitMQ = await rabbitmqWireCaller(prefix);
  });

  afterAll(async () => {
    await Promise.all([...Object.values(wire).map((caller) => caller.close()), ...Object.values(events).map((listener) => listener.close())]);
    await app?.close();
    await deleteRabbitmqResources(prefix);
    await provider.shutdown();
  });

  beforeEach(() => exporter.reset());

  describe.each(['NATS', 'RabbitMQ'] as const)('on %s', (transport) => {
    const { traceId, spanId } = callers[transport];
    const send = async (operation: BusOperation, request: object, headers?: Record<string, string>) => {
      const reply = checkedReply(operation, await wire[transport]!.plainRequest(operation, JSON.stringify(request), headers));
      expect(reply).toMatchObject({ ok: true });
      return (reply as { value: Record<string, unknown> }).value;
    };

    it("continues the message's traceparent into the spawn's spans, the child's events and their published headers, and a worker's reply", async () => {
      const root = await send('run.start', { kind: 'traced-root' });
      const spawned = await send('run.spawn', { parent: root.runId, kind: 'traced-worker' }, { traceparent: `00-${traceId}-${spanId}-01` });
      const childRunId = (spawned.run as { runId: string }).runId;

      // The worker hears of the child's start with the trace its event recorded as a header.
      const listener = events[transport]!;
      const isChildEvent = (type: string) => (entry: JournalEntry) => entry.type === type && entry.streamName === `run-${childRunId}`;
      await listener.until((received) => received.some(isChildEvent('RunStarted')));
      const started = listener.received.find(isChildEvent('RunStarted'))!;
      const recorded = traceparentIn(started);
      expect(recorded).toEqual(expect.stringMatching(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`)));
      expect(listener.traceparentOf(started)).toBe(recorded);

      await send('run.complete', { runId: childRunId, output: 'done' }, { traceparent: recorded as string });
      await listener.until((received) => received.some(isChildEvent('RunCompleted')));
      const completed = listener.received.find(isChildEvent('RunCompleted'))!;
      expect(listener.traceparentOf(completed)).toBe(traceparentIn(completed));

      const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      const one = (name: string) => onlySpan(spans, name);
      const spawnMessage = one(names.pattern('run.spawn'));
      const spawn = one('orchestrator.spawn');
      const completeMessage = one(names.pattern('run.complete'));
      const complete = one('orchestrator.completeRun');
      expect(parentOf(spawnMessage)).toBe(spanId);
      expect(parentOf(spawn)).toBe(spawnMessage.spanContext().spanId);
      expect(spanIdIn(recorded as string)).toBe(spawn.spanContext().spanId);
      expect(parentOf(completeMessage)).toBe(spawn.spanContext().spanId);
      expect(parentOf(complete)).toBe(completeMessage.spanContext().spanId);
      expect(spanIdIn(traceparentIn(completed) as string)).toBe(complete.spanContext().spanId);
    });
  });
});
