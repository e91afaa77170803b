import { isVisibleInGlobalLog } from '../port/log-filter.js';
import type { Position, ReadAllOptions, RecordedEvent } from '../port/types.js';
import { toRecordedEvent } from './event-rows.js';
import type { LogEntry, Statements } from './statements.js';

const SCAN_PAGE = 512;
const AFTER_EVERYTHING = 9223372036854775807n;

/**
 * Reads of the global log: scans the light columns in pages, filters them here (one rule
 * for reads and subscriptions) and loads whole events only for what is kept.
 */
export class GlobalLog {
  constructor(private readonly sql: Statements) {}

  /** Entries strictly after `position`, oldest first. */
  entriesAfter(position: bigint, limit: number): LogEntry[] {
    return this.sql.logAfter.all(position, limit);
  }

  /** Whole events at these positions, in log order. */
  load(positions: readonly bigint[]): RecordedEvent[] {
    if (positions.length === 0) return [];
    return this.sql.eventsAt.all(`[${positions.join(',')}]`).map(toRecordedEvent);
  }

  headPosition(): bigint | undefined {
    return this.sql.headPosition.get()?.position ?? undefined;
  }

  read(options: ReadAllOptions = {}): RecordedEvent[] {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const start = backwards ? exclusiveBoundBackwards(options.fromPosition) : exclusiveBoundForwards(options.fromPosition);
    if (start === undefined || limit === 0) return [];
    const kept: bigint[] = [];
    for (let cursor = start; ; ) {
      const page: LogEntry[] = backwards ? this.sql.logBefore.all(cursor, SCAN_PAGE) : this.sql.logAfter.all(cursor, SCAN_PAGE);
      for (const entry of page) {
        if (isVisibleInGlobalLog(entry.stream_name, entry.event_type, options.filter)) kept.push(entry.position);
        if (kept.length === limit) break;
      }
      if (page.length < SCAN_PAGE || kept.length === limit) break;
      cursor = page[page.length - 1].position;
    }
    const events = this.load(kept);
    return backwards ? events.reverse() : events;
  }
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
