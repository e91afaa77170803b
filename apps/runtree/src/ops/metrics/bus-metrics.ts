import { Injectable } from '@nestjs/common';
import { Registry, type Histogram } from 'prom-client';
import { durationHistogram } from './duration-histogram.js';

/** Bus commands taken in, by message pattern and outcome: `ok`, the error code, or `unreadable`. */
@Injectable()
export class BusMetrics {
  private readonly durations: Histogram<'pattern' | 'outcome'>;

  constructor(registry: Registry) {
    this.durations = durationHistogram(
      registry,
      'runtree_bus_message_duration_seconds',
      'Bus commands taken in and how long each took until answered, by pattern and outcome (ok, the error code, or unreadable); _count is the intake',
      ['pattern', 'outcome'],
    );
  }

  messageHandled(pattern: string, outcome: string, durationMs: number): void {
    this.durations.observe({ pattern, outcome }, durationMs / 1_000);
  }
}
