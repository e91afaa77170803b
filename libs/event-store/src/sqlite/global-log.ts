import { isVisibleInGlobalLog } from '../port/log-filter.js';
import type { EventFilter, Position, ReadAllOptions, RecordedEvent } from '../port/types.js';
import { EVENT_TYPE, POSITION, STREAM_NAME, toRecordedEvent, type EventTuple } from './event-rows.js';
import type { Statements } from './statements.js';

/** Rows per scan query (fewer queries for a whole-log read); reads with a smaller limit ask for fewer. */
const SCAN_PAGE = 4096;
const MIN_SCAN_PAGE = 64;
const AFTER_EVERYTHING = 9223372036854775807n;

/**
 * Reads of the global log: scans whole rows in pages and filters them here (one rule for
 * reads and subscriptions), decoding only the rows it keeps. One scan, no second lookup.
 */
export class GlobalLog {
  constructor(private readonly sql: Statements) {}

  /** Rows strictly after `position`, oldest first, undecoded. */
  rowsAfter(position: bigint, limit: number): EventTuple[] {
    return this.sql.logAfter.all(position, limit);
  }

  headPosition(): bigint | undefined {
    return this.sql.headPosition.get()?.position ?? undefined;
  }

  read(options: ReadAllOptions = {}): RecordedEvent[] {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const start = backwards ? exclusiveBoundBackwards(options.fromPosition) : exclusiveBoundForwards(options.fromPosition);
    if (start === undefined || limit === 0) return [];
    const kept: RecordedEvent[] = [];
    for (let cursor = start; ; ) {
      const size = Math.min(SCAN_PAGE, Math.max(MIN_SCAN_PAGE, limit - kept.length));
      const page = backwards ? this.sql.logBefore.all(cursor, size) : this.sql.logAfter.all(cursor, size);
      for (const row of page) {
        if (isVisibleRow(row, options.filter)) kept.push(toRecordedEvent(row));
        if (kept.length === limit) return kept;
      }
      if (page.length < size) return kept;
      cursor = page[page.length - 1][POSITION];
    }
  }
}

export function isVisibleRow(row: EventTuple, filter: EventFilter | undefined): boolean {
  return isVisibleInGlobalLog(row[STREAM_NAME], row[EVENT_TYPE], filter);
}

/** Forwards is inclusive: start just before `from`. `undefined`: nothing to read. */
function exclusiveBoundForwards(from: Position | 'start' | 'end' | undefined): bigint | undefined {
  if (from === undefined || from === 'start') return 0n;
  if (from === 'end') return undefined;
  return from.commit - 1n;
}

/** Backwards is exclusive: strictly before `from`. */
function exclusiveBoundBackwards(from: Position | 'start' | 'end' | undefined): bigint | undefined {
  if (from === undefined || from === 'end') return AFTER_EVERYTHING;
  if (from === 'start') return undefined;
  return from.commit;
}
