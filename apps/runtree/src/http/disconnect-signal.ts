import type { ServerResponse } from 'node:http';
import { whenResponseCloses } from './when-response-closes.js';

/**
 * A signal that aborts when the client goes away before its answer was sent. A response closes
 * after a sent answer too, so only a close before the answer finished writing counts.
 */
export function disconnectSignal(response: ServerResponse): AbortSignal {
  const disconnected = new AbortController();
  const abortUnlessAnswered = (): void => {
    if (!response.writableFinished) disconnected.abort();
  };
  whenResponseCloses(response, abortUnlessAnswered);
  return disconnected.signal;
}
