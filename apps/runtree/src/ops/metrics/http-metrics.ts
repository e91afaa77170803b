import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS_SECONDS } from './duration-buckets.js';

/** HTTP requests by method, route template (never the path: ids would make a series each) and status. */
@Injectable()
export class HttpMetrics {
  private readonly durations: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry) {
    this.durations = new Histogram({
      name: 'runtree_http_request_duration_seconds',
      help: 'How long HTTP requests took until answered, by method, route template (unmatched: no route) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers: [registry],
    });
  }

  requestFinished(method: string, route: string, status: number, durationMs: number): void {
    this.durations.observe({ method, route, status: String(status) }, durationMs / 1_000);
  }
}
