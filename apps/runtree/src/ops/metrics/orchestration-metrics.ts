import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { OperationFinished, OrchestratorObserver } from '@runtree/orchestration';

/** From a millisecond read of the cache to an `await` of a minute. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Counts and times every Orchestrator operation. It is the orchestrator's observer, handed to
 * `OrchestratorModule.forRootAsync` by injection, so it depends on nothing of the orchestrator.
 */
@Injectable()
export class OrchestrationMetrics implements OrchestratorObserver {
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly durations: Histogram<'operation'>;

  constructor(registry: Registry) {
    this.operations = new Counter({
      name: 'runtree_operations_total',
      help: 'Orchestrator operations finished, by operation and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    });
    this.durations = new Histogram({
      name: 'runtree_operation_duration_seconds',
      help: 'How long Orchestrator operations took, whatever their outcome',
      labelNames: ['operation'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  operationFinished({ operation, outcome, durationMs }: OperationFinished): void {
    this.operations.inc({ operation, outcome });
    this.durations.observe({ operation }, durationMs / 1_000);
  }
}
