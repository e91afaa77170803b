import type { EventStore, Position } from '@runtree/event-store';
import type { ProjectionRunner } from '../projections/projection-runner.js';
import { parseStreamName, streamPrefixes } from '../streams/stream-names.js';

/** An event appended to a run's stream, announced once the read models hold it. */
export interface RunChange {
  readonly runId: string;
  /** The event's type, e.g. `RunStarted` for a run that is new. */
  readonly type: string;
}

/**
 * Resolves once the read models hold everything written so far, with the run events appended
 * after that point: a reader that reads its runs now and then applies these misses nothing.
 */
export async function followRunChanges(store: EventStore, projection: ProjectionRunner, signal: AbortSignal): Promise<AsyncIterable<RunChange>> {
  const head = await store.headPosition();
  await projection.whenCaughtUp();
  return changesAfter(store, projection, head, signal);
}

/** Each run event after `from`, yielded once the projection reached it, so `status` shows the change. */
async function* changesAfter(store: EventStore, projection: ProjectionRunner, from: Position | 'start', signal: AbortSignal): AsyncGenerator<RunChange> {
  const subscription = store.subscribeToAll({ fromPosition: from, filter: { streamNamePrefixes: [streamPrefixes.run] } });
  const stop = (): void => void subscription.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const message of subscription) {
      if (message.type !== 'event') continue;
      const stream = parseStreamName(message.event.streamName);
      if (stream?.kind !== 'run') continue;
      await projection.waitFor(message.event.position);
      yield { runId: stream.id, type: message.event.type };
    }
  } finally {
    signal.removeEventListener('abort', stop);
    await subscription.stop();
  }
}
