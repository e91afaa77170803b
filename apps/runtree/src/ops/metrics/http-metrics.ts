import { Injectable } from '@nestjs/common';
import { Registry, type Histogram } from 'prom-client';
import { durationHistogram } from './duration-histogram.js';

/** HTTP requests by method, route template (never the path: ids would make a series each) and status. */
@Injectable()
export class HttpMetrics {
  private readonly durations: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry) {
    this.durations = durationHistogram(
      registry,
      'runtree_http_request_duration_seconds',
      'How long HTTP requests took until answered, by method, route template (unmatched: no route) and status',
      ['method', 'route', 'status'],
    );
  }

  requestFinished(method: string, route: string, status: number, durationMs: number): void {
    this.durations.observe({ method, route, status: String(status) }, durationMs / 1_000);
  }
}
