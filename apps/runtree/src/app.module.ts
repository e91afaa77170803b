import { Module, type DynamicModule } from '@nestjs/common';
import { OrchestratorModule, type OrchestratorModuleOptions } from '@runtree/orchestration';
import { storeOptionsOf, type RuntreeConfig } from './config.js';
import { BusModule } from './bus/index.js';
import { HttpApiModule } from './http/http-api.module.js';
import { OpsModule, OrchestrationMetrics } from './ops/index.js';
import { SecurityModule } from './security/security.module.js';

/** The Runtree service: the orchestrator on the configured store, its HTTP API, bus, health and metrics. */
@Module({})
export class AppModule {
  /** `orchestration` adds what the environment cannot configure yet (a policy). */
  static forConfig(config: RuntreeConfig, orchestration: Omit<OrchestratorModuleOptions, 'store' | 'observer' | 'limits'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        OrchestratorModule.forRootAsync({
          // The metrics observe every orchestrator operation.
          imports: [OpsModule],
          inject: [OrchestrationMetrics],
          useFactory: (metrics: OrchestrationMetrics) => ({ ...orchestration, store: storeOptionsOf(config), observer: metrics, limits: config.limits.validation }),
        }),
        OpsModule,
        SecurityModule.forConfig(config),
        HttpApiModule,
        // Command intake and event publication on the brokers whose URLs are set.
        BusModule.forRoot(config),
      ],
    };
  }
}
