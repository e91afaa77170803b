import type { EventFilter, SubscriptionMessage } from '../port/types.js';
import { POSITION, toRecordedEvent } from './event-rows.js';
import { isVisibleRow, type GlobalLog } from './global-log.js';
import type { PageReader } from './pulled-subscription.js';

const PAGE = 256;

/**
 * Pages of the global log after the last considered position. With a filter it also emits
 * checkpoints: every `checkpointInterval` entries scanned (matching or not) and on reaching
 * the head for the first time, so a sparse subscriber can still persist its progress.
 */
export class AllPageReader implements PageReader {
  private scannedSinceCheckpoint = 0;
  private caughtUpCheckpointSent = false;

  constructor(
    private readonly log: GlobalLog,
    private afterPosition: bigint,
    private readonly filter: EventFilter | undefined,
    private readonly checkpointInterval: number,
  ) {}

  nextPage(): { messages: SubscriptionMessage[]; reachedHead: boolean } {
    const rows = this.log.rowsAfter(this.afterPosition, PAGE);
    const messages: SubscriptionMessage[] = [];
    for (const row of rows) {
      this.afterPosition = row[POSITION];
      if (isVisibleRow(row, this.filter)) messages.push({ type: 'event', event: toRecordedEvent(row) });
      this.scannedSinceCheckpoint += 1;
      if (this.filter && this.scannedSinceCheckpoint >= this.checkpointInterval) messages.push(this.checkpoint());
    }
    const reachedHead = rows.length < PAGE;
    if (reachedHead && this.filter && !this.caughtUpCheckpointSent) {
      this.caughtUpCheckpointSent = true;
      const alreadyThere = messages[messages.length - 1]?.type === 'checkpoint';
      if (!alreadyThere && this.afterPosition > 0n) messages.push(this.checkpoint());
    }
    return { messages, reachedHead };
  }

  private checkpoint(): SubscriptionMessage {
    this.scannedSinceCheckpoint = 0;
    return { type: 'checkpoint', position: { commit: this.afterPosition, prepare: this.afterPosition } };
  }
}
