import { Injectable } from '@nestjs/common';
import { Counter, Registry, type Histogram } from 'prom-client';
import type { OperationFinished, OrchestratorObserver, StoreCallFinished } from '@runtree/orchestration';
import { durationHistogram, STORE_BUCKETS_SECONDS } from './duration-histogram.js';

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
    this.durations = durationHistogram(registry, 'runtree_operation_duration_seconds', 'How long Orchestrator operations took, whatever their outcome', ['operation']);
    this.storeCalls = durationHistogram(
      registry,
      'runtree_store_call_duration_seconds',
      'How long event store appends and reads took, by call (append or read) and outcome (ok or the store error code)',
      ['call', 'outcome'],
      STORE_BUCKETS_SECONDS,
    );
  }

  operationFinished({ operation, outcome, durationMs }: OperationFinished): void {
    this.operations.inc({ operation, outcome });
    this.durations.observe({ operation }, durationMs / 1_000);
  }

  storeCallFinished({ call, outcome, durationMs }: StoreCallFinished): void {
    this.storeCalls.observe({ call, outcome }, durationMs / 1_000);
  }
}
