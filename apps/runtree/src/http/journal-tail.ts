import { once } from 'node:events';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { HttpResponse } from './express-types.js';
import { subscribeToStreamResuming, type EventStore, type RecordedEvent } from '@runtree/event-store';
import { EVENT_STORE, runStream, toJournalEntry } from '@runtree/orchestration';
import { whenResponseCloses } from './when-response-closes.js';

/** Proxies drop connections that stay silent; a comment line keeps them open. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** Starts a server-sent-event answer: no caching, no proxy buffering. */
export function openEventStream(response: HttpResponse): void {
  response.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  response.flushHeaders();
}

function serverSentEvent(event: RecordedEvent): string {
  return `id: ${event.revision}\nevent: ${event.type}\ndata: ${JSON.stringify(toJournalEntry(event))}\n\n`;
}

/** Waits until a client that could not take more has taken it, or has gone. */
export async function drainedOrClosed(response: HttpResponse): Promise<void> {
  if (response.destroyed) return;
  const settled = new AbortController(); // removes the listener of the event that did not happen
  try {
    await Promise.race([once(response, 'drain', { signal: settled.signal }), once(response, 'close', { signal: settled.signal })]);
  } finally {
    settled.abort();
  }
}

/**
 * Server-sent-event tails of runs' streams. One catch-up subscription per tail delivers the events
 * already written, then each new one as it is appended, with no gap between the two, across store
 * outages too. A tail ends when its client disconnects, or when the app shuts down (before the
 * store closes under it).
 */
@Injectable()
export class JournalTails implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JournalTails.name);
  private readonly open = new Set<() => Promise<void>>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async follow(runId: string, response: HttpResponse): Promise<void> {
    openEventStream(response);
    // A store outage pauses the tail; it goes on after the last event sent once the store is back.
    const subscription = subscribeToStreamResuming(this.store, runStream(runId), {
      onStoreFailure: (error, delayMs) => this.logger.warn(`The journal tail of run ${runId} lost the store (${error.message}); resuming in ${delayMs} ms`),
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_INTERVAL_MS);
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        clearInterval(heartbeat);
        this.open.delete(stop);
        await subscription.stop();
        response.end();
      })());
    this.open.add(stop);
    whenResponseCloses(response, () => void stop());
    try {
      for await (const message of subscription) {
        // Pull the next event only once a slow client has taken this one (or has gone).
        if (message.type === 'event' && !response.write(serverSentEvent(message.event))) await drainedOrClosed(response);
      }
    } catch (error) {
      this.logger.error(`The journal tail of run ${runId} failed`, error instanceof Error ? error.stack : String(error));
    } finally {
      await stop();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((stop) => stop()));
  }
}
