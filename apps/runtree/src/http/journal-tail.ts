import { once } from 'node:events';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { HttpResponse } from './express-types.js';
import { RunJournals, type JournalEntry } from '@runtree/orchestration';
import { whenResponseCloses } from './when-response-closes.js';

/** Proxies drop connections that stay silent; a comment line keeps them open. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** Starts a server-sent-event answer: no caching, no proxy buffering. */
export function openEventStream(response: HttpResponse): void {
  response.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  response.flushHeaders();
}

function serverSentEvent(entry: JournalEntry): string {
  return `id: ${entry.revision}\nevent: ${entry.type}\ndata: ${JSON.stringify(entry)}\n\n`;
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
 * Server-sent-event tails of runs' journals (`RunJournals.tail`: the entries already written, then
 * each new one, across store outages too). A tail ends when its client disconnects, or when the
 * app shuts down (before the store closes under it).
 */
@Injectable()
export class JournalTails implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JournalTails.name);
  private readonly open = new Set<() => Promise<void>>();

  constructor(private readonly journals: RunJournals) {}

  async follow(runId: string, response: HttpResponse): Promise<void> {
    openEventStream(response);
    // A store outage pauses the tail; it goes on after the last event sent once the store is back.
    const tail = this.journals.tail(runId, {
      onStoreFailure: (error, delayMs) => this.logger.warn(`The journal tail of run ${runId} lost the store (${error.message}); resuming in ${delayMs} ms`),
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_INTERVAL_MS);
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        clearInterval(heartbeat);
        this.open.delete(stop);
        await tail.stop();
        response.end();
      })());
    this.open.add(stop);
    whenResponseCloses(response, () => void stop());
    try {
      for await (const entry of tail) {
        // Pull the next entry only once a slow client has taken this one (or has gone).
        if (!response.write(serverSentEvent(entry))) await drainedOrClosed(response);
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
