/** One stream per run, per session and per thread. */
export const streamPrefixes = { run: 'run-', session: 'session-', thread: 'thread-' } as const;

export const runStream = (runId: string): string => `${streamPrefixes.run}${runId}`;
export const sessionStream = (sessionId: string): string => `${streamPrefixes.session}${sessionId}`;
export const threadStream = (threadId: string): string => `${streamPrefixes.thread}${threadId}`;

/** The id inside a stream name, with the stream's kind. */
export function parseStreamName(streamName: string): { kind: keyof typeof streamPrefixes; id: string } | undefined {
  for (const kind of Object.keys(streamPrefixes) as (keyof typeof streamPrefixes)[]) {
    const prefix = streamPrefixes[kind];
    if (streamName.startsWith(prefix)) return { kind, id: streamName.slice(prefix.length) };
  }
  return undefined;
}

/** The filter of Runtree's own streams in the global log (other streams, such as the bus publisher's checkpoints, are not its events). */
export const runtreeStreams = { streamNamePrefixes: Object.values(streamPrefixes) } as const;
