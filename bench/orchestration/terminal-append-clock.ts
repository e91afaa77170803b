import type { AppendOptions, AppendResult, EventStore, EventToAppend } from '@runtree/event-store';

const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['RunCompleted', 'RunFailed', 'RunCancelled']);

/** The store, with a note of when each run's terminal event was durably appended: where the `await` wake-up latency starts. */
export interface TerminalAppendClock {
  /** Every port method of the store it was made from; `appendToStream` also notes terminal appends. */
  readonly store: EventStore;
  /** `performance.now()` when the terminal append to `streamName` resolved. */
  terminalAppendedAt(streamName: string): number;
}

/**
 * Wraps `store` by delegation (`Object.create`): only `appendToStream` is replaced, so every other
 * port method, present or future, is the store's own.
 */
export function terminalAppendClock(store: EventStore): TerminalAppendClock {
  const appendedAt = new Map<string, number>();
  const clocked = Object.create(store) as EventStore;
  clocked.appendToStream = async (streamName: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> => {
    const result = await store.appendToStream(streamName, events, options);
    if (events.some((event) => TERMINAL_EVENT_TYPES.has(event.type))) appendedAt.set(streamName, performance.now());
    return result;
  };
  return {
    store: clocked,
    terminalAppendedAt(streamName) {
      const at = appendedAt.get(streamName);
      if (at === undefined) throw new Error(`no terminal event was appended to ${streamName}`);
      return at;
    },
  };
}
