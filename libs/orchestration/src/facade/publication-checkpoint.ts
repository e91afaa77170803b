import { randomUUID } from 'node:crypto';
import { comparePositions, positionFromString, positionToString, StreamNotFoundError, type EventStore, type Position } from '@runtree/event-store';

export const PUBLISHER_CHECKPOINTED = 'PublisherCheckpointed';

/** Only the latest checkpoint matters; older ones are hidden from reads. */
const CHECKPOINTS_KEPT = 10;

/**
 * The position up to which every Runtree event has been taken by every broker, kept in the event
 * store itself (a `PublisherCheckpointed` event per save) so publication resumes there after a restart.
 */
export class PublisherCheckpoint {
  private saved: Position | 'start' = 'start';

  constructor(
    private readonly store: EventStore,
    private readonly streamName: string,
  ) {}

  get position(): Position | 'start' {
    return this.saved;
  }

  async load(): Promise<Position | 'start'> {
    try {
      const [last] = await this.store.readStream(this.streamName, { direction: 'backwards', maxCount: 1 });
      this.saved = last === undefined ? 'start' : positionFromString((last.data as { position: string }).position);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      this.saved = 'start';
    }
    return this.saved;
  }

  /** Saves `position` unless a later one is already saved. */
  async save(position: Position): Promise<void> {
    if (this.saved !== 'start' && comparePositions(position, this.saved) <= 0) return;
    const first = this.saved === 'start';
    await this.store.appendToStream(
      this.streamName,
      [{ id: randomUUID(), type: PUBLISHER_CHECKPOINTED, data: { position: positionToString(position) } }],
      { expectedRevision: 'any' },
    );
    if (first) await this.store.setStreamMetadata(this.streamName, { maxCount: CHECKPOINTS_KEPT });
    this.saved = position;
  }
}
