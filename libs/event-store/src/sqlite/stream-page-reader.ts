import type { SubscriptionMessage } from '../port/types.js';
import { REVISION, toRecordedEvent } from './event-rows.js';
import type { PageReader } from './pulled-subscription.js';
import type { Statements } from './statements.js';
import { visibleBounds } from './stream-row.js';

const PAGE = 256;

/** Pages of one stream's events after the last delivered revision (metadata-hidden ones skipped). */
export class StreamPageReader implements PageReader {
  constructor(
    private readonly sql: Statements,
    readonly streamName: string,
    private afterRevision: bigint,
    private readonly now: () => number,
  ) {}

  nextPage(): { messages: SubscriptionMessage[]; reachedHead: boolean } {
    const head = this.sql.stream.get(this.streamName);
    if (head === undefined) return { messages: [], reachedHead: true };
    const rows = this.sql.visibleForwards.all({
      streamId: head.stream_id,
      from: this.afterRevision + 1n,
      ...visibleBounds(head, this.now()),
      limit: PAGE,
    });
    if (rows.length > 0) this.afterRevision = rows[rows.length - 1][REVISION];
    return {
      messages: rows.map((row) => ({ type: 'event', event: toRecordedEvent(row) })),
      reachedHead: rows.length < PAGE,
    };
  }
}
