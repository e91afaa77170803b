import * as E from 'fp-ts/lib/Either.js';
import type { RecordedEvent } from '@runtree/event-store';
import { decodeDomainEvent, parseStreamName, type SchemaRegistry } from '@runtree/orchestration';
import { metadataField } from '../journal-file.js';
import type { Progress } from '../progress.js';
import { ReadModels } from '@runtree/orchestration';

export interface Rebuilt {
  readonly models: ReadModels;
  /** Runs in the order their streams first appear. */
  readonly runIds: readonly string[];
  readonly eventCount: number;
  /** Events no codec accepts; the service's projection skips them too. */
  readonly skipped: readonly string[];
}

/** Applies the events, in the order given, to fresh read models, as the service's projection does. */
export class ReadModelBuilder {
  private readonly models = new ReadModels();
  private readonly runIds = new Set<string>();
  private readonly skipped: string[] = [];
  private eventCount = 0;

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly progress: Progress,
  ) {}

  apply(recorded: RecordedEvent): void {
    this.eventCount++;
    this.progress.advance();
    const stream = parseStreamName(recorded.streamName);
    if (stream?.kind === 'run') this.runIds.add(stream.id);
    const version = metadataField(recorded.metadata, 'schemaVersion');
    const decoded = decodeDomainEvent(recorded.type, recorded.data, typeof version === 'number' ? version : Number.NaN, this.registry);
    if (E.isLeft(decoded)) this.skipped.push(`${recorded.streamName}@${recorded.revision}: ${decoded.left}`);
    else this.models.apply(recorded, decoded.right);
  }

  finish(): Rebuilt {
    this.progress.done();
    const runIds = [...this.runIds].filter((runId) => this.models.getRun(runId) !== undefined);
    return { models: this.models, runIds, eventCount: this.eventCount, skipped: this.skipped };
  }
}
