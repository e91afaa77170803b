export { OpsModule } from './ops.module.js';
export { OrchestrationMetrics } from './metrics/orchestration-metrics.js';
export { BrokerHealth, type BrokerLivenessProbe } from './health/broker-health.js';
export { HttpMetrics } from './metrics/http-metrics.js';
export { BusMetrics } from './metrics/bus-metrics.js';
