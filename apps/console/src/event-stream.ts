import { request } from './api.js';

export interface ServerEvent {
  readonly event: string;
  readonly data: string;
}

/** One event block of a text/event-stream (comments and unknown fields ignored). */
function parseBlock(block: string): ServerEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}

/**
 * Reads a server-sent-event stream with fetch, since EventSource cannot send the bearer token.
 * Resolves when the server ends it; rejects on an error answer or a cut connection.
 */
export async function readEventStream(path: string, signal: AbortSignal, onEvent: (event: ServerEvent) => void): Promise<void> {
  const response = await request(path, { headers: { Accept: 'text/event-stream' }, signal });
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = parseBlock(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (event !== undefined) onEvent(event);
    }
  }
}
