import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { OrchestratorModule, type OrchestratorModuleOptions, type ReadStoreOptions, type StoreOptions } from '@runtree/orchestration';
import { storeOptionsOf, type RuntreeConfig } from './config.js';
import { BusModule } from './bus/index.js';
import { ConsoleModule } from './console/console.module.js';
import { HttpApiModule } from './http/http-api.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { OpsModule, OrchestrationMetrics } from './ops/index.js';
import { SecurityModule } from './security/security.module.js';
import { TracingFlush } from './tracing/tracing-flush.js';

/** The Runtree service: the orchestrator on the configured store, its HTTP API, bus, health and metrics. */
@Module({})
export class AppModule {
  /** `orchestration` adds what the environment cannot configure (a policy, a store opened by the caller). */
  static forConfig(
    config: RuntreeConfig,
    /** The service's logger (`createRootLogger`); Nest's and the access log's lines go to it. */
    logger: Logger,
    { store, readStore, ...orchestration }: Omit<OrchestratorModuleOptions, 'store' | 'readStore' | 'observer' | 'limits' | 'memory'> & {
      readonly store?: StoreOptions;
      readonly readStore?: ReadStoreOptions;
    } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forLogger(logger),
        OrchestratorModule.forRootAsync({
          // The metrics observe every orchestrator operation.
          imports: [OpsModule],
          inject: [OrchestrationMetrics],
          useFactory: (metrics: OrchestrationMetrics) => ({
            ...orchestration,
            store: store ?? storeOptionsOf(config),
            readStore: readStore ?? config.readStore,
            memory: config.memory,
            observer: metrics,
            limits: config.limits.validation,
          }),
        }),
        OpsModule,
        SecurityModule.forConfig(config),
        HttpApiModule,
        ConsoleModule,
        // Command intake and event publication on the brokers whose URLs are set.
        BusModule.forRoot(config),
      ],
      providers: [TracingFlush],
    };
  }
}
