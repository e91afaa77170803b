import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerHealth } from './health/broker-health.js';
import { HealthController } from './health/health.controller.js';
import { RuntreeHealthIndicators } from './health/runtree-health-indicators.js';
import { BusMetrics } from './metrics/bus-metrics.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { metricsRegistryProvider } from './metrics/metrics-registry.js';
import { OrchestrationGauges } from './metrics/orchestration-gauges.js';
import { OrchestrationMetrics } from './metrics/orchestration-metrics.js';
import { OrchestratorHealthLookup } from './orchestrator-health-lookup.js';

/**
 * GET /health and GET /metrics. Import it into the app AND into `OrchestratorModule.forRootAsync`,
 * whose observer is the OrchestrationMetrics exported here:
 * `OrchestratorModule.forRootAsync({ imports: [OpsModule], inject: [OrchestrationMetrics], useFactory: (metrics) => ({ store, observer: metrics }) })`.
 * The bus intake imports it for BrokerHealth.
 */
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController, MetricsController],
  providers: [
    metricsRegistryProvider,
    OrchestrationMetrics,
    HttpMetrics,
    BusMetrics,
    OrchestrationGauges,
    OrchestratorHealthLookup,
    BrokerHealth,
    RuntreeHealthIndicators,
  ],
  exports: [OrchestrationMetrics, HttpMetrics, BusMetrics, BrokerHealth],
})
export class OpsModule {}
