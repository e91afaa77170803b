import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthCheckAttempt, type HealthIndicatorFunction } from '@nestjs/terminus';
import { OrchestratorHealthLookup } from '../orchestrator-health-lookup.js';
import { BrokerHealth, type BrokerLivenessProbe } from './broker-health.js';

/** A dependency that does not answer within this is down: /health must answer even when they hang. */
export const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/**
 * The most the projection may trail the head of the log and still count as caught up, in position
 * units: events on SQLite, bytes of log on EventStoreDB (a few hundred events).
 */
export const MAX_HEALTHY_PROJECTION_LAG = 100_000;

/** The indicators of /health: the store, the projection, and every registered broker. */
@Injectable()
export class RuntreeHealthIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly orchestration: OrchestratorHealthLookup,
    private readonly brokers: BrokerHealth,
  ) {}

  all(): HealthIndicatorFunction[] {
    const brokers = [...this.brokers.registered].map(([name, probe]) => () => this.broker(name, probe));
    return [() => this.store(), () => this.readStore(), () => this.projection(), ...brokers];
  }

  private store(): HealthCheckAttempt<'store'> {
    return this.indicators
      .check('store')
      .attempt(async () => this.orchestration.health.eventStore())
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }

  private readStore(): HealthCheckAttempt<'read-store'> {
    return this.indicators
      .check('read-store')
      .attempt(async () => this.orchestration.health.readModels())
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }

  private projection(): HealthCheckAttempt<'projection'> {
    return this.indicators
      .check('projection')
      .attempt(async () => {
        const health = this.orchestration.health;
        const state = health.projectionState();
        if (!state.running) throw new Error('the projection is not running');
        const lag = await health.projectionLag();
        if (lag > MAX_HEALTHY_PROJECTION_LAG) {
          throw new Error(`the projection lags ${lag} behind the head of the log (healthy up to ${MAX_HEALTHY_PROJECTION_LAG})`);
        }
        return { lag, role: state.role };
      })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }

  private broker(name: string, isAlive: BrokerLivenessProbe): HealthCheckAttempt {
    return this.indicators
      .check(name)
      .attempt(async () => {
        if (!(await isAlive())) throw new Error(`${name} is not connected`);
      })
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS);
  }
}
