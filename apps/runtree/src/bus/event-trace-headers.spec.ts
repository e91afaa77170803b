import { describe, expect, it } from '@jest/globals';
import type { JournalEntry } from '@runtree/orchestration';
import { eventTraceHeaders } from './event-trace-headers.js';

const entry = (metadata: JournalEntry['metadata']): JournalEntry =>
  ({ eventId: 'e', type: 'RunStarted', streamName: 'run-1', revision: '0', position: '1', data: {}, metadata, created: '2026-01-01T00:00:00.000Z' }) as JournalEntry;

describe('eventTraceHeaders', () => {
  it("gives the published message the trace context of the event's metadata", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(eventTraceHeaders(entry({ commandId: 'c', traceparent, tracestate: 'vendor=1' }))).toEqual({ traceparent, tracestate: 'vendor=1' });
  });

  it('gives no header for an untraced event or metadata of another shape', () => {
    expect(eventTraceHeaders(entry({ commandId: 'c' }))).toEqual({});
    expect(eventTraceHeaders(entry(null))).toEqual({});
    expect(eventTraceHeaders(entry({ traceparent: 7 }))).toEqual({});
  });
});
