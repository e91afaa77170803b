import type { EventStore } from '@runtree/event-store';
import { parseStreamName, type JournalEntry } from '@runtree/orchestration';

/** Runs whose kind is remembered; past it the oldest is forgotten (and read again if it publishes again). */
export const REMEMBERED_RUN_KINDS = 100_000;

/**
 * The kind of the run an event belongs to, for its subject. A run's first event (RunStarted) names
 * it, and the publisher meets it before the run's other events; a run started before the checkpoint
 * the publisher resumed from is read from its stream's first event once.
 */
export class RunKinds {
  private readonly kinds = new Map<string, string>();

  constructor(private readonly store: EventStore) {}

  /** Undefined for a session's or thread's event: those belong to no run. */
  async kindOf(event: JournalEntry): Promise<string | undefined> {
    const stream = parseStreamName(event.streamName);
    if (stream?.kind !== 'run') return undefined;
    const known = this.kinds.get(stream.id);
    if (known !== undefined) return known;
    const first = event.type === 'RunStarted' ? event.data : (await this.store.readStream(event.streamName, { maxCount: 1 }))[0]?.data;
    const kind = typeof first === 'object' && first !== null && !Array.isArray(first) && typeof first.kind === 'string' ? first.kind : undefined;
    if (kind !== undefined) this.remember(stream.id, kind);
    return kind;
  }

  private remember(runId: string, kind: string): void {
    this.kinds.set(runId, kind);
    if (this.kinds.size > REMEMBERED_RUN_KINDS) this.kinds.delete(this.kinds.keys().next().value as string);
  }
}
