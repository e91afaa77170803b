import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS_SECONDS } from './duration-buckets.js';

/** Bus commands taken in, by message pattern and outcome: `ok`, the error code, or `unreadable`. */
@Injectable()
export class BusMetrics {
  private readonly durations: Histogram<'pattern' | 'outcome'>;

  constructor(registry: Registry) {
    this.durations = new Histogram({
      name: 'runtree_bus_message_duration_seconds',
      help: 'Bus commands taken in and how long each took until answered, by pattern and outcome (ok, the error code, or unreadable); _count is the intake',
      labelNames: ['pattern', 'outcome'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  messageHandled(pattern: string, outcome: string, durationMs: number): void {
    this.durations.observe({ pattern, outcome }, durationMs / 1_000);
  }
}
