import * as E from 'fp-ts/lib/Either.js';
import type { Position, RecordedEvent } from '@runtree/event-store';
import { openSqliteReadStore, type ReadStore } from '@runtree/read-store';
import { decodeDomainEvent, parseStreamName, projectBatch, type ProjectedEvent, type SchemaRegistry } from '@runtree/orchestration';
import { metadataField } from '../journal-file.js';

/** Events folded per transaction, as the service's projection does. */
const BATCH = 512;

/** Told of each event applied, and of the end (a progress bar). */
export interface ReplayProgress {
  advance(): void;
  done(): void;
}

export interface Rebuilt {
  /** Read models in memory, built from the events alone: close it when done. */
  readonly models: ReadStore;
  /** Runs in the order their streams first appear. */
  readonly runIds: readonly string[];
  readonly eventCount: number;
  /** Events no codec accepts; the service's projection skips them too. */
  readonly skipped: readonly string[];
}

/** Applies the events, in the order given, to fresh read models in memory, as the service's projection does. */
export class ReadModelBuilder {
  private readonly models = openSqliteReadStore({ path: ':memory:' });
  private readonly runIds = new Set<string>();
  private readonly skipped: string[] = [];
  private batch: ProjectedEvent[] = [];
  private last: Position | undefined;
  private version = 0;
  private eventCount = 0;
  private readonly opened: Promise<void>;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly progress: ReplayProgress,
  ) {
    this.opened = this.models.open();
  }

  async apply(recorded: RecordedEvent): Promise<void> {
    this.eventCount++;
    this.progress.advance();
    const stream = parseStreamName(recorded.streamName);
    if (stream?.kind === 'run') this.runIds.add(stream.id);
    const version = metadataField(recorded.metadata, 'schemaVersion');
    const decoded = decodeDomainEvent(recorded.type, recorded.data, typeof version === 'number' ? version : Number.NaN, this.registry);
    if (E.isLeft(decoded)) this.skipped.push(`${recorded.streamName}@${recorded.revision}: ${decoded.left}`);
    else this.batch.push({ recorded, event: decoded.right });
    this.last = recorded.position;
    if (this.batch.length >= BATCH) await this.flush();
  }

  async finish(): Promise<Rebuilt> {
    await this.flush();
    this.progress.done();
    const known = await Promise.all([...this.runIds].map(async (runId) => ((await this.models.runCore(runId)) === undefined ? undefined : runId)));
    return { models: this.models, runIds: known.filter((runId) => runId !== undefined), eventCount: this.eventCount, skipped: this.skipped };
  }

  private async flush(): Promise<void> {
    await this.opened;
    if (this.last === undefined) return;
    const events = this.batch;
    this.batch = [];
    const to = this.last;
    // Positions of an exported file may repeat or run backwards: the checkpoint here only counts batches.
    await projectBatch(this.models, 'live', events, { fromVersion: this.version, to }, (event, error) =>
      this.skipped.push(`${event.streamName}@${event.revision}: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.version++;
    this.last = undefined;
  }
}
