import { Inject, Injectable } from '@nestjs/common';
import {
  positionFromString,
  positionToString,
  StreamNotFoundError,
  subscribeToStreamResuming,
  type EventStore,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreUnavailableError,
} from '@runtree/event-store';
import { OrchestratorError } from '../api/errors.js';
import type { JournalEntry } from '../api/model.js';
import { EVENT_STORE } from '../module/tokens.js';
import { toJournalEntry } from '../queries/journal.js';
import { runStream } from '../streams/stream-names.js';
import { inputError } from '../validation/report.js';

/** One page of a journal, and the cursor of the next one when there is more. */
export interface JournalPage {
  readonly entries: readonly JournalEntry[];
  /** Pass as `after` to read on; absent on the last page. */
  readonly next?: string;
}

export interface PageRequest {
  /** The cursor of the last entry already read; absent for the first page. */
  readonly after?: string;
  /** Entries in the page at most (the caller bounds it). */
  readonly limit: number;
}

/** A live tail of a run's journal: iterate it for the entries, `stop` it to end the iteration. */
export interface JournalTail extends AsyncIterable<JournalEntry> {
  stop(): Promise<void>;
}

export interface JournalTailOptions {
  /** Told of each store outage the tail waits out (it resumes after the last entry given). */
  readonly onStoreFailure?: (error: StoreUnavailableError, delayMs: number) => void;
}

function invalidCursor(reason: string): OrchestratorError {
  return OrchestratorError.from(inputError({ code: 'invalid_option', field: 'after', reason }));
}

/** `after` of a run's own journal: the revision of the last entry read. */
function revisionCursor(after: string): bigint {
  if (!/^\d{1,19}$/.test(after)) throw invalidCursor('must be the cursor of a Link rel="next" header (a revision)');
  return BigInt(after);
}

/** `after` of a tree's journal: the position of the last entry read. */
function positionCursor(after: string): Position {
  if (!/^\d{1,20}\/\d{1,20}$/.test(after)) throw invalidCursor('must be the cursor of a Link rel="next" header (a position)');
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

/**
 * Runs' journals read from the store (the journal is not copied): a page at a time, so no answer
 * holds more than a page, or as a live tail. A malformed cursor is `invalid_option` on `after`.
 */
@Injectable()
export class RunJournals {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** A run's own stream: one bounded read from the revision after the cursor. */
  async pageOfRun(runId: string, page: PageRequest): Promise<JournalPage> {
    const fromRevision = page.after === undefined ? 'start' : revisionCursor(page.after) + 1n;
    const events = await readOrEmpty(this.store, runStream(runId), { fromRevision, maxCount: page.limit + 1 });
    return pageOf(events, page.limit, (event) => event.revision.toString());
  }

  /** Several runs' streams merged in commit order: one bounded read of the events after the cursor. */
  async pageOfRuns(runIds: readonly string[], page: PageRequest): Promise<JournalPage> {
    const afterPosition = page.after === undefined ? undefined : positionCursor(page.after);
    const events = await this.store.readStreams(runIds.map(runStream), { afterPosition, maxCount: page.limit + 1 });
    return pageOf(events, page.limit, (event) => positionToString(event.position));
  }

  /**
   * The run's entries already written, then each new one as it is appended, with no gap between
   * the two, across store outages too (one catch-up subscription). Entries are read as they are
   * pulled, so a slow reader holds the tail back rather than buffering it.
   */
  tail(runId: string, options: JournalTailOptions = {}): JournalTail {
    const subscription = subscribeToStreamResuming(this.store, runStream(runId), options);
    return {
      stop: () => subscription.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const message of subscription) if (message.type === 'event') yield toJournalEntry(message.event);
      },
    };
  }
}
