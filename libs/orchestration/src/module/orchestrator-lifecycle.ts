import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { StartupRecovery, type RecoveryReport } from '../processes/startup-recovery.js';
import type { OrchestratorModuleOptions } from './orchestrator-module-options.js';
import { MODULE_OPTIONS } from './tokens.js';

const NOTHING_RECOVERED: RecoveryReport = { childrenMaterialized: 0, cancellationsFinished: 0, sessionsClosed: 0 };

/**
 * Starts the projection when the module starts, then repairs what a crash left unfinished.
 * Recovery runs in the background so that an unreachable store does not hang start-up: it
 * proceeds once the projection has caught up, and `ensureReady()` waits for it.
 */
@Injectable()
export class OrchestratorLifecycle implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(OrchestratorLifecycle.name);
  private recovered: Promise<RecoveryReport> = Promise.resolve(NOTHING_RECOVERED);

  constructor(
    private readonly projection: ProjectionRunner,
    private readonly recovery: StartupRecovery,
    @Inject(MODULE_OPTIONS) private readonly options: OrchestratorModuleOptions,
  ) {}

  onModuleInit(): void {
    this.projection.start();
  }

  onApplicationBootstrap(): void {
    if (!(this.options.recoverOnStart ?? true)) return;
    this.recovered = this.recovery.recover();
    this.recovered.catch((error: unknown) => this.logger.error(`Start-up recovery failed: ${String(error)}`));
  }

  whenRecovered(): Promise<RecoveryReport> {
    return this.recovered;
  }
}
