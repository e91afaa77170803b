import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';

/** GET /metrics: Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
