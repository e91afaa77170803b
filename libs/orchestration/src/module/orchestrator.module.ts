import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule, type ModuleMetadata, type Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RunWatchers } from '../await/index.js';
import { CancelTreeHandler } from '../commands/cancel-tree.command.js';
import { ChildMaterializer } from '../processes/child-materializer.js';
import { SpawnChildProcess } from '../processes/spawn-child.process.js';
import { runStreamCommandHandlers } from '../commands/run-lifecycle.commands.js';
import { substrateCommandHandlers } from '../commands/session.commands.js';
import { SpawnChildHandler } from '../commands/spawn-child.command.js';
import { Orchestrator } from '../facade/orchestrator.js';
import { ORCHESTRATOR_OBSERVER } from '../facade/orchestrator-observer.js';
import { OrchestratorHealth } from '../facade/orchestrator-health.js';
import { PublicationFeed } from '../facade/publication-feed.js';
import { RunJournals } from '../facade/run-journals.js';
import { ORCHESTRATION_POLICY } from '../policy/orchestration-policy.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { queryHandlers } from '../queries/index.js';
import { StartupRecovery } from '../processes/startup-recovery.js';
import { StreamRepository } from '../write/stream-repository.js';
import { OrchestratorLifecycle } from './orchestrator-lifecycle.js';
import type { OrchestratorModuleOptions } from './orchestrator-module-options.js';
import { observedStore } from './observed-store.js';
import { openStore, OwnedStoreCloser, storeRetryProvider } from './store-provider.js';
import { resolveValidationLimits } from '../validation/validation-limits.js';
import { CLOCK, EVENT_STORE, ID_GENERATOR, MEMORY_BUDGET, MODULE_OPTIONS, PROJECTION_OPTIONS, READ_STORE, VALIDATION_LIMITS } from './tokens.js';
import { OwnedReadStoreCloser, openReadStore, readStoreOptionsFor } from './read-store-provider.js';
import { resolveMemoryBudget } from '../write/memory-budget.js';
import { projectionOptions, type ProjectionOptions } from '../projections/projection-runner.js';

export interface OrchestratorModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: unknown[];
  readonly useFactory: (...args: never[]) => OrchestratorModuleOptions | Promise<OrchestratorModuleOptions>;
}

/** Everything but the options: one list, for forRoot and forRootAsync alike. */
const providers: Provider[] = [
  {
    provide: EVENT_STORE,
    useFactory: (options: OrchestratorModuleOptions) => observedStore(openStore(options.store), options.observer?.storeCallFinished?.bind(options.observer)),
    inject: [MODULE_OPTIONS],
  },
  { provide: READ_STORE, useFactory: (options: OrchestratorModuleOptions) => openReadStore(readStoreOptionsFor(options)), inject: [MODULE_OPTIONS] },
  { provide: MEMORY_BUDGET, useFactory: (options: OrchestratorModuleOptions) => resolveMemoryBudget(options.memory), inject: [MODULE_OPTIONS] },
  {
    provide: PROJECTION_OPTIONS,
    useFactory: (options: OrchestratorModuleOptions): ProjectionOptions => projectionOptions(options.readYourWritesTimeoutMs),
    inject: [MODULE_OPTIONS],
  },
  { provide: CLOCK, useFactory: (options: OrchestratorModuleOptions) => options.clock ?? (() => new Date()), inject: [MODULE_OPTIONS] },
  { provide: ID_GENERATOR, useFactory: (options: OrchestratorModuleOptions) => options.generateId ?? randomUUID, inject: [MODULE_OPTIONS] },
  { provide: ORCHESTRATOR_OBSERVER, useFactory: (options: OrchestratorModuleOptions) => options.observer ?? null, inject: [MODULE_OPTIONS] },
  { provide: VALIDATION_LIMITS, useFactory: (options: OrchestratorModuleOptions) => resolveValidationLimits(options.limits), inject: [MODULE_OPTIONS] },
  // No policy configured: every spawn is allowed without reading the tree (null, not an AllowAllPolicy that would be asked).
  { provide: ORCHESTRATION_POLICY, useFactory: (options: OrchestratorModuleOptions) => options.policy ?? null, inject: [MODULE_OPTIONS] },
  OwnedStoreCloser,
  OwnedReadStoreCloser,
  storeRetryProvider,
  StreamRepository,
  ChildMaterializer,
  SpawnChildProcess,
  ProjectionRunner,
  RunWatchers,
  SpawnChildHandler,
  CancelTreeHandler,
  ...runStreamCommandHandlers,
  ...substrateCommandHandlers,
  ...queryHandlers,
  StartupRecovery,
  OrchestratorLifecycle,
  Orchestrator,
  RunJournals,
  PublicationFeed,
  OrchestratorHealth,
];

/** The facade the apps use; the store tokens and the projection are exported for tests. */
const exported = [Orchestrator, RunJournals, PublicationFeed, OrchestratorHealth, ProjectionRunner, EVENT_STORE, READ_STORE];

/**
 * Global, like other forRoot modules: every module of the app can inject `Orchestrator`.
 * What a NestJS app imports to orchestrate agent runs:
 * `OrchestratorModule.forRoot({ store: { kind: 'sqlite', path: './data/runtree.db' } })`, then inject `Orchestrator`.
 */
@Module({})
export class OrchestratorModule {
  static forRoot(options: OrchestratorModuleOptions): DynamicModule {
    return {
      module: OrchestratorModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [{ provide: MODULE_OPTIONS, useValue: options }, ...providers],
      exports: exported,
    };
  }

  static forRootAsync(options: OrchestratorModuleAsyncOptions): DynamicModule {
    return {
      module: OrchestratorModule,
      global: true,
      imports: [CqrsModule.forRoot(), ...(options.imports ?? [])],
      providers: [{ provide: MODULE_OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] }, ...providers],
      exports: exported,
    };
  }
}
