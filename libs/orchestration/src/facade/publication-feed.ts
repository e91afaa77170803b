import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, Position, RecordedEvent } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import type { JournalEntry } from '../api/model.js';
import { EVENT_STORE, READ_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { toJournalEntry } from '../queries/journal.js';
import { parseStreamName, runtreeStreams } from '../streams/stream-names.js';
import { StreamCache } from '../write/stream-cache.js';
import { PublisherCheckpoint } from './publication-checkpoint.js';

/**
 * A run's kind never changes: each subscription remembers the kinds of the runs it saw lately (their
 * RunStarted, or one lookup), so a run's later events need no read-store read. About 10,000 runs.
 */
const RECENT_KINDS_BYTES = 1 << 20;

/** What a publication subscription gives, in log order. */
export type PublicationMessage =
  /** A Runtree event, with the kind of the run it belongs to (none for a session's or thread's event). */
  | { readonly type: 'event'; readonly entry: JournalEntry; readonly runKind: string | undefined; readonly position: Position }
  /** Nothing of Runtree's up to `position`: a publisher may save it with its next events. */
  | { readonly type: 'checkpoint'; readonly position: Position };

/** Every Runtree event of the log after a position; `stop` ends the iteration. */
export interface PublicationSubscription extends AsyncIterable<PublicationMessage> {
  stop(): Promise<void>;
}

/**
 * The global log for a publisher (the bus): its Runtree events from a checkpoint on, and the
 * checkpoint itself, kept in the event store (see `PublisherCheckpoint`).
 */
@Injectable()
export class PublicationFeed {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projection: ProjectionRunner,
  ) {}

  /** The checkpoint kept in `streamName` (one stream per publisher): `load` it, then `save` as events are delivered. */
  checkpoint(streamName: string): PublisherCheckpoint {
    return new PublisherCheckpoint(this.store, streamName);
  }

  /** Runtree's events after `fromPosition` ('start': all of them), then each new one as it is appended. */
  subscribe(fromPosition: Position | 'start'): PublicationSubscription {
    const subscription = this.store.subscribeToAll({ fromPosition, filter: runtreeStreams });
    const recentKinds = new StreamCache<string>(RECENT_KINDS_BYTES);
    const runKindOf = (event: RecordedEvent): Promise<string | undefined> => this.runKindOf(event, recentKinds);
    return {
      stop: () => subscription.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const message of subscription) {
          if (message.type === 'event') {
            const { event } = message;
            yield { type: 'event', entry: toJournalEntry(event), runKind: await runKindOf(event), position: event.position };
          } else if (message.type === 'checkpoint') {
            yield { type: 'checkpoint', position: message.position };
          }
        }
      },
    };
  }

  /**
   * A run's first event (RunStarted) names its kind; a later one takes it from the kinds this
   * subscription saw, or else from the read models once they hold the event (and so its RunStarted).
   */
  private async runKindOf(event: RecordedEvent, recentKinds: StreamCache<string>): Promise<string | undefined> {
    const stream = parseStreamName(event.streamName);
    if (stream?.kind !== 'run') return undefined;
    const kind = event.type === 'RunStarted' ? kindField(event.data) : (recentKinds.get(stream.id) ?? (await this.lookUpKind(stream.id, event.position)));
    // Weighed at its strings' length plus a Map entry's overhead.
    if (kind !== undefined) recentKinds.set(stream.id, kind, 2 * (stream.id.length + kind.length) + 64);
    return kind;
  }

  private async lookUpKind(runId: string, position: Position): Promise<string | undefined> {
    const known = await this.readStore.runCore(runId);
    if (known !== undefined) return known.kind;
    await this.projection.waitFor(position);
    return (await this.readStore.runCore(runId))?.kind;
  }
}

function kindField(data: RecordedEvent['data']): string | undefined {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && typeof data.kind === 'string' ? data.kind : undefined;
}
