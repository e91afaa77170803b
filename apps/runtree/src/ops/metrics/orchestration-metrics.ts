import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { OperationFinished, OrchestratorObserver, StoreCallFinished } from '@runtree/orchestration';
import { DURATION_BUCKETS_SECONDS, STORE_BUCKETS_SECONDS } from './duration-buckets.js';

/**
 * Counts and times every Orchestrator operation. It is the orchestrator's observer, handed to
 * `OrchestratorModule.forRootAsync` by injection, so it depends on nothing of the orchestrator.
 */
@Injectable()
export class OrchestrationMetrics implements OrchestratorObserver {
  private readonly operations: Counter<'operation' | 'outcome'>;
  private readonly durations: Histogram<'operation'>;
  private readonly storeCalls: Histogram<'call' | 'outcome'>;

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
    this.storeCalls = new Histogram({
      name: 'runtree_store_call_duration_seconds',
      help: 'How long event store appends and reads took, by call (append or read) and outcome (ok or the store error code)',
      labelNames: ['call', 'outcome'],
      buckets: STORE_BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  operationFinished({ operation, outcome, durationMs }: OperationFinished): void {
    this.operations.inc({ operation, outcome });
    this.durations.observe({ operation }, durationMs / 1_000);
  }

  storeCallFinished({ call, outcome, durationMs }: StoreCallFinished): void {
    this.storeCalls.observe({ call, outcome }, durationMs / 1_000);
  }
}
