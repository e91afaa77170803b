import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { HealthCheckFailedFilter } from './health-check-failed.filter.js';
import { RuntreeHealthIndicators } from './runtree-health-indicators.js';

const indicators: SchemaObject = { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } } };

/** terminus's body, on 200 and on 503 alike. */
const healthResult: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: indicators, error: indicators, details: indicators },
};

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
  @ApiOperation({ summary: 'Whether every indicator is up (open: no token ever)' })
  @ApiResponse({ status: 200, description: 'Every indicator is up', content: { 'application/json': { schema: healthResult } } })
  @ApiResponse({ status: 503, description: 'Some indicator is down: `error` names it', content: { 'application/json': { schema: healthResult } } })
  check(): Promise<HealthCheckResult> {
    return this.health.check(this.indicators.all());
  }
}
