import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { EVENT_STORE, ProjectionRunner, READ_STORE, RunWatchers } from '@runtree/orchestration';

/**
 * The orchestration module's parts that health and metrics read, looked up when asked for.
 * OrchestratorModule's options are built from OpsModule's OrchestrationMetrics, so OpsModule
 * must not need OrchestratorModule's providers while it is being constructed.
 */
@Injectable()
export class OrchestrationInternals {
  constructor(private readonly moduleRef: ModuleRef) {}

  get store(): EventStore {
    return this.moduleRef.get<EventStore>(EVENT_STORE, { strict: false });
  }

  get readStore(): ReadStore {
    return this.moduleRef.get<ReadStore>(READ_STORE, { strict: false });
  }

  get projection(): ProjectionRunner {
    return this.moduleRef.get(ProjectionRunner, { strict: false });
  }

  get watchers(): RunWatchers {
    return this.moduleRef.get(RunWatchers, { strict: false });
  }
}
