import { Inject, Injectable } from '@nestjs/common';
import { positionToString, type EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { RunWatchers } from '../await/index.js';
import { EVENT_STORE, READ_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';

/** The event store answers reads and takes writes; `head` is the position of the log's last event. */
// Types, not interfaces: a health check's report is a plain record (terminus takes an index signature).
export type EventStoreHealth = {
  /** `commit/prepare`, or `empty`. */
  readonly head: string;
};

export type ReadStoreHealth = {
  readonly kind: ReadStore['kind'];
};

export interface ProjectionHealth {
  /** Whether the projection follows the log at all. */
  readonly running: boolean;
  /** Whether this instance projects (on a shared read store only one does) or only reads. */
  readonly role: 'projector' | 'reader';
}

/** The projection and await figures a metrics scrape reads. */
export interface OrchestratorGauges {
  /** Commit position up to which the read models hold the log (0: nothing yet). */
  readonly projectionCheckpoint: number;
  /** Callers waiting in `await` for a run to end. */
  readonly awaitWaiters: number;
  /** Runs watched for `await` (one store subscription each). */
  readonly awaitWatchers: number;
}

/**
 * What health checks and metrics read of the orchestrator. Each probe rejects when its part is
 * down (the store's error); none waits for anything but the store it asks.
 */
@Injectable()
export class OrchestratorHealth {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projection: ProjectionRunner,
    private readonly watchers: RunWatchers,
  ) {}

  async eventStore(): Promise<EventStoreHealth> {
    const head = await this.store.headPosition();
    // Reads can succeed while writes fail (a read-only file, a full disk): commands then fail, so the store is down.
    await this.store.checkWritable?.();
    return { head: head === 'start' ? 'empty' : positionToString(head) };
  }

  async readModels(): Promise<ReadStoreHealth> {
    await this.readStore.checkAvailable();
    return { kind: this.readStore.kind };
  }

  projectionState(): ProjectionHealth {
    return { running: this.projection.isRunning, role: this.projection.isProjector ? 'projector' : 'reader' };
  }

  /** How far the read models trail the last Runtree event, in position units (events on SQLite, bytes on EventStoreDB). */
  projectionLag(): Promise<number> {
    return this.projection.lag();
  }

  runCount(): Promise<number> {
    return this.readStore.runCount();
  }

  gauges(): OrchestratorGauges {
    const checkpoint = this.projection.checkpoint;
    return {
      projectionCheckpoint: checkpoint === 'start' ? 0 : Number(checkpoint.commit),
      awaitWaiters: this.watchers.waiterCount,
      awaitWatchers: this.watchers.watcherCount,
    };
  }
}
