import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { OrchestratorHealthLookup } from '../orchestrator-health-lookup.js';

/**
 * Gauges read from the orchestrator at scrape time. A value that cannot be read (the store is
 * down, so the lag is unknown) is NaN rather than a plausible-looking zero.
 */
@Injectable()
export class OrchestrationGauges {
  constructor(registry: Registry, orchestration: OrchestratorHealthLookup) {
    const gauge = (name: string, help: string, read: () => number | Promise<number>): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          this.set(await Promise.resolve().then(read).catch(() => NaN));
        },
      });
    };
    gauge(
      'runtree_projection_lag_events',
      'How far the read models trail the head of the log, in position units (events on SQLite, bytes on EventStoreDB)',
      () => orchestration.health.projectionLag(),
    );
    gauge('runtree_projection_checkpoint', 'Commit position up to which the read models have applied the log (0: nothing yet)', () => orchestration.health.gauges().projectionCheckpoint);
    gauge('runtree_read_model_runs', 'Runs in the read models', () => orchestration.health.runCount());
    gauge('runtree_await_waiters', 'Callers waiting in await for a run to end', () => orchestration.health.gauges().awaitWaiters);
    gauge('runtree_await_watchers', 'Runs watched for await (one store subscription each)', () => orchestration.health.gauges().awaitWatchers);
  }
}
