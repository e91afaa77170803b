import { isVisibleInGlobalLog } from '../port/log-filter.js';
import type { EventFilter, SubscriptionMessage } from '../port/types.js';
import type { GlobalLog } from './global-log.js';
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
    const entries = this.log.entriesAfter(this.afterPosition, PAGE);
    const planned: Array<{ event: bigint } | { checkpoint: bigint }> = [];
    for (const entry of entries) {
      this.afterPosition = entry.position;
      if (isVisibleInGlobalLog(entry.stream_name, entry.event_type, this.filter)) planned.push({ event: entry.position });
      this.scannedSinceCheckpoint += 1;
      if (this.filter && this.scannedSinceCheckpoint >= this.checkpointInterval) planned.push(this.checkpoint());
    }
    const reachedHead = entries.length < PAGE;
    if (reachedHead && this.filter && !this.caughtUpCheckpointSent) {
      this.caughtUpCheckpointSent = true;
      const last = planned[planned.length - 1];
      const alreadyThere = last !== undefined && 'checkpoint' in last;
      if (!alreadyThere && this.afterPosition > 0n) planned.push(this.checkpoint());
    }
    const events = new Map(this.log.load(planned.flatMap((step) => ('event' in step ? [step.event] : []))).map((e) => [e.position.commit, e]));
    const messages = planned.map((step): SubscriptionMessage =>
      'event' in step
        ? { type: 'event', event: events.get(step.event)! }
        : { type: 'checkpoint', position: { commit: step.checkpoint, prepare: step.checkpoint } },
    );
    return { messages, reachedHead };
  }

  private checkpoint(): { checkpoint: bigint } {
    this.scannedSinceCheckpoint = 0;
    return { checkpoint: this.afterPosition };
  }
}
