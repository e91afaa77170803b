import { Inject, Injectable } from '@nestjs/common';
import {
  positionFromString,
  positionToString,
  StreamNotFoundError,
  type EventStore,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@runtree/event-store';
import { EVENT_STORE, runStream, toJournalEntry, type JournalEntry } from '@runtree/orchestration';
import { inputRejection } from './input-rejection.js';

/** One page of a journal, and the cursor of the next one when there is more. */
export interface JournalPage {
  readonly entries: readonly JournalEntry[];
  /** Pass as `after` to read on; absent on the last page. */
  readonly next?: string;
}

export interface PageRequest {
  /** The cursor of the last entry already read; absent for the first page. */
  readonly after?: string;
  readonly limit: number;
}

/** `limit`: digits, 1 to the configured page size; absent means the page size. */
export function parsePageLimit(value: unknown, pageSize: number): number {
  if (value === undefined) return pageSize;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= pageSize)) {
    throw inputRejection('invalid_option', 'limit', `must be an integer from 1 to ${pageSize} (RUNTREE_JOURNAL_PAGE_SIZE)`);
  }
  return limit;
}

/** `after` of a run's own journal: the revision of the last entry read. */
function revisionCursor(after: string): bigint {
  if (!/^\d{1,19}$/.test(after)) throw inputRejection('invalid_option', 'after', 'must be the cursor of a Link rel="next" header (a revision)');
  return BigInt(after);
}

/** `after` of a tree's journal: the position of the last entry read. */
function positionCursor(after: string): Position {
  if (!/^\d{1,20}\/\d{1,20}$/.test(after)) throw inputRejection('invalid_option', 'after', 'must be the cursor of a Link rel="next" header (a position)');
  return positionFromString(after);
}

async function readOrEmpty(store: EventStore, streamName: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamName, options);
  } catch (error) {
    // A run the read models know always has a stream, unless an admin deleted it: its journal is empty.
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

function pageOf(events: readonly RecordedEvent[], limit: number, cursorOf: (event: RecordedEvent) => string): JournalPage {
  const entries = events.slice(0, limit);
  const last = entries.at(-1);
  return { entries: entries.map(toJournalEntry), ...(events.length > limit && last ? { next: cursorOf(last) } : {}) };
}

/** Journals read a page at a time from the store, so no answer holds more than a page. */
@Injectable()
export class JournalPages {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** A run's own stream: one bounded read from the revision after the cursor. */
  async ofRun(runId: string, page: PageRequest): Promise<JournalPage> {
    const fromRevision = page.after === undefined ? 'start' : revisionCursor(page.after) + 1n;
    const events = await readOrEmpty(this.store, runStream(runId), { fromRevision, maxCount: page.limit + 1 });
    return pageOf(events, page.limit, (event) => event.revision.toString());
  }

  /** Several runs' streams merged in commit order: one bounded read of the events after the cursor. */
  async ofRuns(runIds: readonly string[], page: PageRequest): Promise<JournalPage> {
    const afterPosition = page.after === undefined ? undefined : positionCursor(page.after);
    const events = await this.store.readStreams(runIds.map(runStream), { afterPosition, maxCount: page.limit + 1 });
    return pageOf(events, page.limit, (event) => positionToString(event.position));
  }
}
