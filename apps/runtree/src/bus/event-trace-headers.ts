import type { JournalEntry } from '@runtree/orchestration';

/**
 * The W3C trace context the event's metadata recorded (the command that wrote it), as message
 * headers: the worker that picks the event up continues that trace.
 */
export function eventTraceHeaders(event: JournalEntry): Record<string, string> {
  const { metadata } = event;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return {};
  const headers: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate'] as const) {
    const value = metadata[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}
