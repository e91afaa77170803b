import { Controller, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Orchestrator, type UncheckedOrchestratorApi, type Step } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import { CommandBody, type JsonBody } from './command-body.js';
import { schemaRef } from './openapi-schemas.js';

const { OK, CREATED, NOT_FOUND, CONFLICT } = HttpStatus;

/** Steps: units of work inside a running run. */
@ApiTags('steps')
@Controller('runs/:runId/steps')
export class StepsController {
  constructor(@Inject(Orchestrator) private readonly orchestrator: UncheckedOrchestratorApi) {}

  @Post()
  @ApiRoute({ summary: 'Start a step in a running run', body: 'StartStepRequest', status: CREATED, result: schemaRef('Step'), errors: [NOT_FOUND, CONFLICT] })
  start(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<Step> {
    return this.orchestrator.startStep(runId, body);
  }

  @Post(':stepId/complete')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Complete a running step', body: 'CompleteRequest', status: OK, result: schemaRef('Step'), errors: [NOT_FOUND, CONFLICT] })
  complete(@Param('runId') runId: string, @Param('stepId') stepId: string, @CommandBody() body: JsonBody): Promise<Step> {
    const { output, ...options } = body;
    return this.orchestrator.completeStep(runId, stepId, output, options);
  }

  @Post(':stepId/fail')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Fail a running step', body: 'FailRequest', status: OK, result: schemaRef('Step'), errors: [NOT_FOUND, CONFLICT] })
  fail(@Param('runId') runId: string, @Param('stepId') stepId: string, @CommandBody() body: JsonBody): Promise<Step> {
    const { error, ...options } = body;
    return this.orchestrator.failStep(runId, stepId, error, options);
  }
}
