import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, Position, RecordedEvent } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import type { JournalEntry } from '../api/model.js';
import { EVENT_STORE, READ_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { toJournalEntry } from '../queries/journal.js';
import { parseStreamName, runtreeStreams } from '../streams/stream-names.js';
import { PublisherCheckpoint } from './publication-checkpoint.js';

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
    const runKindOf = (event: RecordedEvent): Promise<string | undefined> => this.runKindOf(event);
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
   * A run's first event (RunStarted) names its kind; any later one finds it in the read models,
   * once they hold the event (they hold the RunStarted before it then).
   */
  private async runKindOf(event: RecordedEvent): Promise<string | undefined> {
    const stream = parseStreamName(event.streamName);
    if (stream?.kind !== 'run') return undefined;
    if (event.type === 'RunStarted') return kindField(event.data);
    const known = await this.readStore.runCore(stream.id);
    if (known !== undefined) return known.kind;
    await this.projection.waitFor(event.position);
    return (await this.readStore.runCore(stream.id))?.kind;
  }
}

function kindField(data: RecordedEvent['data']): string | undefined {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && typeof data.kind === 'string' ? data.kind : undefined;
}
