// Traces through the whole HTTP service, recorded by an in-memory exporter: an SDK registered as
// the service's start-tracing registers one (context manager, W3C propagator), with the exporter
// swapped for memory. A worker's view: spawn a child with the caller's traceparent, then complete
// the child with the traceparent its events carry, as a worker that picked the event up would.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EVENT_STORE, runStream } from '@runtree/orchestration';
import type { EventStore } from '@runtree/event-store';
import { onlySpan, parentOf, recordSpans, spanIdIn } from '../../support/recorded-spans.js';
import { startHttpApp, type HttpApp } from '../http/http-app.js';

const { exporter, provider } = recordSpans();

/** The caller's span: a trace begun outside the service. */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;

const traceparentOf = (metadata: unknown): string => (metadata as { traceparent: string }).traceparent;

describe('OpenTelemetry traces', () => {
  let service: HttpApp;

  beforeAll(async () => {
    service = await startHttpApp();
  });
  afterAll(async () => {
    await service?.close();
    await provider.shutdown();
  });
  beforeEach(() => exporter.reset());

  it('follow a spawn and the completion of the child in one trace, with the expected parent and child spans', async () => {
    const root = (await service.http.post('/runs').send({ kind: 'root' }).expect(201)).body as { runId: string };
    const spawned = await service.http.post(`/runs/${root.runId}/children`).set('traceparent', CALLER_TRACEPARENT).send({ kind: 'worker' }).expect(201);
    const child = (spawned.body as { run: { runId: string } }).run;

    // The child's events record the trace of the command that wrote them: what a worker continues.
    const store = service.app.get<EventStore>(EVENT_STORE);
    const [started] = await store.readStream(runStream(child.runId));
    const recorded = traceparentOf(started!.metadata);
    expect(recorded).toMatch(new RegExp(`^00-${CALLER_TRACE_ID}-[0-9a-f]{16}-01$`));

    await service.http.post(`/runs/${child.runId}/complete`).set('traceparent', recorded).send({ output: 'done' }).expect(200);
    const events = await store.readStream(runStream(child.runId));
    const completed = events.find((event) => event.type === 'RunCompleted')!;

    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === CALLER_TRACE_ID);
    const one = (name: string) => onlySpan(spans, name);

    const spawnRequest = one('POST /runs/:runId/children');
    const spawn = one('orchestrator.spawn');
    const completeRequest = one('POST /runs/:runId/complete');
    const complete = one('orchestrator.completeRun');
    expect(parentOf(spawnRequest)).toBe(CALLER_SPAN_ID);
    expect(parentOf(spawn)).toBe(spawnRequest.spanContext().spanId);
    expect(spanIdIn(recorded)).toBe(spawn.spanContext().spanId);
    expect(parentOf(completeRequest)).toBe(spawn.spanContext().spanId);
    expect(parentOf(complete)).toBe(completeRequest.spanContext().spanId);
    expect(spawnRequest.attributes).toMatchObject({ 'http.route': '/runs/:runId/children', 'http.response.status_code': 201 });

    // Store calls are spans of the operation that made them: the link and the child's start appended
    // under the spawn (on SQLite one multi-stream append, whose span names both streams).
    const appendedStreams = (operation: ReadableSpan) =>
      spans.filter((span) => span.name === 'store.append' && parentOf(span) === operation.spanContext().spanId).flatMap((span) => [span.attributes['runtree.stream']].flat());
    expect(appendedStreams(spawn)).toEqual(expect.arrayContaining([runStream(root.runId), runStream(child.runId)]));
    expect(appendedStreams(complete)).toContain(runStream(child.runId));
    expect(spanIdIn(traceparentOf(completed.metadata))).toBe(complete.spanContext().spanId);

    // Nothing of this trace hangs off a span outside it: one tree from the caller's span.
    const ids = new Set([CALLER_SPAN_ID, ...spans.map((span) => span.spanContext().spanId)]);
    for (const span of spans) expect([span.name, ids.has(parentOf(span)!)]).toEqual([span.name, true]);
  });

  it('start a trace of their own for a request without traceparent, recorded in its events', async () => {
    const run = (await service.http.post('/runs').send({}).expect(201)).body as { runId: string };
    const request = exporter.getFinishedSpans().find((span) => span.name === 'POST /runs')!;
    expect(request.parentSpanContext).toBeUndefined();
    const [started] = await service.app.get<EventStore>(EVENT_STORE).readStream(runStream(run.runId));
    expect(traceparentOf(started!.metadata).split('-')[1]).toBe(request.spanContext().traceId);
  });
});
