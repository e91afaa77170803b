import type { JsonValue, RecordedEvent } from '../port/types.js';

/** A row of `events` as better-sqlite3 returns it (integers as bigints). */
export interface EventRow {
  readonly position: bigint;
  readonly stream_name: string;
  readonly revision: bigint;
  readonly event_id: string;
  readonly event_type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created_ms: bigint;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    streamName: row.stream_name,
    revision: row.revision,
    // The log's row number is both parts of the position: one commit holds one event here.
    position: { commit: row.position, prepare: row.position },
    data: JSON.parse(row.data) as JsonValue,
    metadata: JSON.parse(row.metadata) as JsonValue,
    created: new Date(Number(row.created_ms)),
  };
}
