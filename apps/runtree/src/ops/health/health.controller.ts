import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HealthCheckFailedFilter } from './health-check-failed.filter.js';
import { RuntreeHealthIndicators } from './runtree-health-indicators.js';

/** GET /health: 200 when every indicator is up, 503 with terminus's error body naming the ones down. */
@Controller('health')
@UseFilters(HealthCheckFailedFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: RuntreeHealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check(this.indicators.all());
  }
}
