import type { ServerResponse } from 'node:http';

/** Calls `then` once the response has closed (answered or disconnected): at once if it already has, since 'close' will not come again. */
export function whenResponseCloses(response: ServerResponse, then: () => void): void {
  if (response.closed) then();
  else response.once('close', then);
}
