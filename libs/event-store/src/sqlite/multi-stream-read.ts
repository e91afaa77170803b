import type { RecordedEvent } from '../port/types.js';
import { CREATED_MS, REVISION, STREAM_NAME, toRecordedEvent } from './event-rows.js';
import type { Statements } from './statements.js';
import { currentRevision, visibleBounds } from './stream-row.js';

/**
 * The readable events of several streams in log order, in two queries whatever their number
 * (heads, then events): a tree's journal costs one read, not two per run.
 */
export function readVisibleEventsOf(sql: Statements, streamNames: readonly string[], nowMs: number): RecordedEvent[] {
  const names = JSON.stringify(streamNames);
  const bounds = new Map<string, ReturnType<typeof visibleBounds>>();
  for (const head of sql.streamsIn.all(names)) {
    if (currentRevision(head) !== 'no_stream') bounds.set(head.stream_name, visibleBounds(head, nowMs));
  }
  const events: RecordedEvent[] = [];
  for (const row of sql.eventsOfStreams.all(names)) {
    const bound = bounds.get(row[STREAM_NAME]);
    if (bound !== undefined && row[REVISION] >= bound.minRevision && row[CREATED_MS] >= bound.minCreatedMs) events.push(toRecordedEvent(row));
  }
  return events;
}
