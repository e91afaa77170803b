import type { RecordedEvent } from '../port/types.js';
import { CREATED_MS, POSITION, REVISION, STREAM_NAME, toRecordedEvent, type EventTuple } from './event-rows.js';
import type { Statements } from './statements.js';
import { headsOf } from './stream-heads.js';
import { currentRevision, visibleBounds } from './stream-row.js';

/** Which of the streams' events to read: those strictly after a log position, the first `maxCount`. */
export interface StreamsPage {
  /** 0: from the start of the log (positions start at 1). */
  readonly afterPosition: bigint;
  /** `Infinity`: no limit. */
  readonly maxCount: number;
}

const WHOLE_STREAMS: StreamsPage = { afterPosition: 0n, maxCount: Number.POSITIVE_INFINITY };

/**
 * The readable events of several streams in log order, in two queries whatever their number
 * (heads, then events): a tree's journal costs one read, not two per run.
 */
export function readVisibleEventsOf(sql: Statements, streamNames: readonly string[], nowMs: number, page = WHOLE_STREAMS): RecordedEvent[] {
  const bounds = new Map<string, ReturnType<typeof visibleBounds>>();
  const streamIds: bigint[] = [];
  for (const head of headsOf(sql, streamNames)) {
    if (currentRevision(head) === 'no_stream') continue;
    bounds.set(head.stream_name, visibleBounds(head, nowMs));
    streamIds.push(head.stream_id);
  }
  const isVisible = (row: EventTuple): boolean => {
    const bound = bounds.get(row[STREAM_NAME]);
    return bound !== undefined && row[REVISION] >= bound.minRevision && row[CREATED_MS] >= bound.minCreatedMs;
  };
  // Only the streams that exist: a deleted stream's rows are not read at all.
  const ids = `[${streamIds.join(',')}]`;
  const events: RecordedEvent[] = [];
  // Visibility is checked here, not in SQL, so the query finds positions from the index alone; rows that
  // metadata hides then leave a page short, so read on after its last row until it is full or the streams end.
  // Runs' streams carry no such metadata: one query is the rule.
  for (let after = page.afterPosition; bounds.size > 0 && events.length < page.maxCount; ) {
    const wanted = page.maxCount - events.length;
    const rows = sql.eventsOfStreamsAfter.all(ids, after, Number.isFinite(wanted) ? wanted : -1);
    for (const row of rows) if (isVisible(row)) events.push(toRecordedEvent(row));
    if (rows.length < wanted) break;
    after = rows[rows.length - 1][POSITION];
  }
  return events;
}
