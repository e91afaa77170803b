import { StoreUnavailableError } from './errors.js';
import type { EventStore, Subscription, SubscriptionMessage } from './types.js';

export interface ResumingSubscriptionOptions {
  /** Exclusive, as in `subscribeToStream`. Default `start`. */
  readonly fromRevision?: bigint | 'start';
  /** Wait before the first resubscription; it doubles up to `maxDelayMs` while the store stays down. Default 100 ms. */
  readonly firstDelayMs?: number;
  /** Default 2000 ms. */
  readonly maxDelayMs?: number;
  /** Told each time the store failed under the subscription, before waiting `delayMs`. */
  readonly onStoreFailure?: (error: StoreUnavailableError, delayMs: number) => void;
}

/**
 * A stream subscription that outlives store outages: when the store fails under it
 * (`StoreUnavailableError`) it subscribes again, with backoff, after the last event it delivered,
 * so its consumer sees every event once, in revision order, whatever the outages. It ends only when
 * stopped; other errors end it with that error. `caught_up` comes again after each resubscription.
 */
export function subscribeToStreamResuming(store: EventStore, streamName: string, options: ResumingSubscriptionOptions = {}): Subscription {
  const firstDelayMs = options.firstDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const stopper = new AbortController();
  let current: Subscription | undefined;
  let after: bigint | 'start' = options.fromRevision ?? 'start';

  async function* messages(): AsyncGenerator<SubscriptionMessage> {
    let delayMs = firstDelayMs;
    while (!stopper.signal.aborted) {
      try {
        current = store.subscribeToStream(streamName, { fromRevision: after });
        for await (const message of current) {
          if (message.type === 'event') {
            after = message.event.revision;
            delayMs = firstDelayMs;
          }
          yield message;
        }
        return; // stopped
      } catch (error) {
        if (stopper.signal.aborted) return;
        if (!(error instanceof StoreUnavailableError)) throw error;
        options.onStoreFailure?.(error, delayMs);
        await abortableDelay(delayMs, stopper.signal);
        delayMs = Math.min(delayMs * 2, maxDelayMs);
      } finally {
        await current?.stop();
      }
    }
  }

  const iterator = messages();
  return {
    [Symbol.asyncIterator]: () => iterator,
    stop: async () => {
      stopper.abort();
      await current?.stop();
    },
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
