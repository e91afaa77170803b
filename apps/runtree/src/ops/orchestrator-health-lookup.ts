import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OrchestratorHealth } from '@runtree/orchestration';

/**
 * The orchestrator's health facade, looked up when asked for. OrchestratorModule's options are
 * built from OpsModule's OrchestrationMetrics, so OpsModule must not need OrchestratorModule's
 * providers while it is being constructed.
 */
@Injectable()
export class OrchestratorHealthLookup {
  constructor(private readonly moduleRef: ModuleRef) {}

  get health(): OrchestratorHealth {
    return this.moduleRef.get(OrchestratorHealth, { strict: false });
  }
}
