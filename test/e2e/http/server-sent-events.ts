import type { JournalEntry } from '@runtree/orchestration';

export interface ServerSentEvent {
  readonly id: string;
  readonly event: string;
  readonly data: JournalEntry;
}

/** Reads server-sent events off a response body as they arrive. */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const fields = Object.fromEntries(
        frame
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (fields.data !== undefined) yield { id: fields.id, event: fields.event, data: JSON.parse(fields.data) as JournalEntry };
    }
  }
}
