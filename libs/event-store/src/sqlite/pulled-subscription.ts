import type { Subscription, SubscriptionMessage } from '../port/types.js';
import type { CommitSignal } from './commit-signal.js';
import { asEventStoreError } from './store-unavailable.js';

/** Reads what follows a subscription's cursor, advancing it past what it returns. */
export interface PageReader {
  /** The one stream it reads, if it reads only one: only commits to it wake the subscription. */
  readonly streamName?: string;
  /** `reachedHead`: nothing more is stored right now. */
  nextPage(): { readonly messages: readonly SubscriptionMessage[]; readonly reachedHead: boolean };
}

/**
 * Catch-up then live, pulled by the consumer: a page is read only when the previous one has
 * been consumed, from the last delivered position, so a slow consumer neither misses nor
 * repeats. At the head it sleeps until a commit wakes it.
 */
export class PulledSubscription implements Subscription {
  private readonly stopper = new AbortController();
  private iterator: AsyncGenerator<SubscriptionMessage> | undefined;

  constructor(
    private readonly reader: PageReader,
    private readonly commits: CommitSignal,
    private readonly onEnded: (subscription: PulledSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= this.messages();
    return this.iterator;
  }

  stop(): Promise<void> {
    this.stopper.abort();
    this.onEnded(this);
    return Promise.resolve();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async *messages(): AsyncGenerator<SubscriptionMessage> {
    try {
      let caughtUp = false;
      while (!this.stopped) {
        const seenVersion = this.commits.version;
        const page = this.readPage();
        for (const message of page.messages) {
          if (this.stopped) return;
          yield message;
        }
        if (!page.reachedHead) continue;
        if (!caughtUp) {
          caughtUp = true;
          if (this.stopped) return;
          yield { type: 'caught_up' };
        }
        await this.commits.waitForCommitAfter(seenVersion, this.stopper.signal, this.reader.streamName);
      }
    } finally {
      this.onEnded(this);
    }
  }

  private readPage(): ReturnType<PageReader['nextPage']> {
    try {
      return this.reader.nextPage();
    } catch (error) {
      throw asEventStoreError(error);
    }
  }
}
