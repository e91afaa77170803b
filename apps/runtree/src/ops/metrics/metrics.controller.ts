import { Controller, Get, Header, HttpStatus } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ApiRoute } from '../../http/api-route.decorator.js';

/** GET /metrics: Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @ApiRoute({
    summary: 'Prometheus metrics',
    status: HttpStatus.OK,
    result: { type: 'string' },
    resultContent: { 'text/plain': { type: 'string', description: 'Prometheus text exposition format 0.0.4' } },
  })
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
