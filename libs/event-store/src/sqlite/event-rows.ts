import type { JsonValue, RecordedEvent } from '../port/types.js';

/** A row of `events` as better-sqlite3 returns it (integers as bigints). */
export interface EventRow {
  readonly position: bigint;
  readonly stream_id: bigint;
  readonly stream_name: string;
  readonly revision: bigint;
  readonly event_id: string;
  readonly event_type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created_ms: bigint;
}

/** The columns every event read selects, in the order of `EventTuple`. */
export const EVENT_COLUMNS = 'position, stream_name, revision, event_id, event_type, data, metadata, created_ms';

/**
 * A row of `events` read in raw mode (an array, not an object): reads of many events create
 * one small array per row instead of a keyed object, which is what bounds replay speed.
 */
export type EventTuple = readonly [
  position: bigint,
  streamName: string,
  revision: bigint,
  eventId: string,
  eventType: string,
  data: string,
  metadata: string,
  createdMs: bigint,
];

/** Indexes into `EventTuple` for the columns readers look at before decoding a row. */
export const POSITION = 0;
export const STREAM_NAME = 1;
export const REVISION = 2;
export const EVENT_TYPE = 4;
export const CREATED_MS = 7;

export function toRecordedEvent(row: EventTuple): RecordedEvent {
  const position = row[0];
  return {
    id: row[3],
    type: row[4],
    streamName: row[1],
    revision: row[2],
    // The log's row number is both parts of the position: one commit holds one event here.
    position: { commit: position, prepare: position },
    data: JSON.parse(row[5]) as JsonValue,
    metadata: JSON.parse(row[6]) as JsonValue,
    created: new Date(Number(row[7])),
  };
}
