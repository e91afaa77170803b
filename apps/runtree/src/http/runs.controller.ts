import { Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Orchestrator, type UncheckedOrchestratorApi, type AwaitResult, type CancelResult, type Child, type ChildStatus, type CollectResult, type Run } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import { ClientSlots } from './client-slots.js';
import { CommandBody, type JsonBody } from './command-body.js';
import { disconnectSignal } from './disconnect-signal.js';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { arrayOf, schemaRef } from './openapi-schemas.js';
import { allowOnlyQueryKeys, booleanQuery, timeoutQueryParam, type QueryParams } from './query-params.js';

const { OK, CREATED, NOT_FOUND, CONFLICT, FORBIDDEN, REQUEST_TIMEOUT, TOO_MANY_REQUESTS } = HttpStatus;

/** Runs: start, read, spawn and delegate children, cancel, await, and finish. */
@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(
    @Inject(Orchestrator) private readonly orchestrator: UncheckedOrchestratorApi,
    private readonly slots: ClientSlots,
  ) {}

  @Post()
  @ApiRoute({ summary: 'Start a root run', body: 'StartRunRequest', status: CREATED, result: schemaRef('Run'), errors: [NOT_FOUND, CONFLICT] })
  startRun(@CommandBody() body: JsonBody): Promise<Run> {
    return this.orchestrator.startRun(body);
  }

  @Get(':runId')
  @ApiQuery({ name: 'includeSteps', required: false, enum: ['true', 'false'], description: 'Default true' })
  @ApiQuery({ name: 'includeJournal', required: false, enum: ['true', 'false'], description: 'Default true' })
  @ApiQuery({ name: 'includeDescendants', required: false, enum: ['true', 'false'], description: 'Default false' })
  @ApiRoute({ summary: 'Collect a run: its children, link, steps, descendants and journal', status: OK, result: schemaRef('CollectResult'), errors: [NOT_FOUND] })
  collect(@Param('runId') runId: string, @Query() query: QueryParams): Promise<CollectResult> {
    return this.orchestrator.collect(runId, booleanQuery(query, ['includeSteps', 'includeJournal', 'includeDescendants']));
  }

  @Get(':runId/status')
  @ApiRoute({ summary: "A run's status, step and child counts", status: OK, result: schemaRef('ChildStatus'), errors: [NOT_FOUND] })
  status(@Param('runId') runId: string, @Query() query: QueryParams): Promise<ChildStatus> {
    allowOnlyQueryKeys(query, []);
    return this.orchestrator.status(runId);
  }

  @Get(':runId/children')
  @ApiRoute({ summary: 'The direct children, oldest first', status: OK, result: arrayOf('Child'), errors: [NOT_FOUND] })
  listChildren(@Param('runId') runId: string, @Query() query: QueryParams): Promise<Child[]> {
    allowOnlyQueryKeys(query, []);
    return this.orchestrator.listChildren(runId);
  }

  @Post(':runId/children')
  @ApiRoute({ summary: 'Spawn a child run', body: 'SpawnRequest', status: CREATED, result: schemaRef('Child'), errors: [NOT_FOUND, CONFLICT, FORBIDDEN] })
  spawn(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<Child> {
    return this.orchestrator.spawn(runId, body);
  }

  @Post(':runId/delegations')
  @ApiRoute({ summary: 'Delegate a task to a child run', body: 'DelegateRequest', status: CREATED, result: schemaRef('Run'), errors: [NOT_FOUND, CONFLICT, FORBIDDEN] })
  delegate(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<Run> {
    const { task, ...options } = body;
    return this.orchestrator.delegate(runId, task, options);
  }

  @Post(':runId/cancel')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Cancel the run and every running descendant', body: 'CancelRequest', status: OK, result: schemaRef('CancelResult'), errors: [NOT_FOUND, CONFLICT] })
  cancel(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<CancelResult> {
    const { reason, ...options } = body;
    return this.orchestrator.cancel(runId, reason, options);
  }

  @Get(':runId/await')
  @ApiQuery({ name: 'timeoutMs', required: true, type: 'integer', description: 'Milliseconds (digits only); 0 answers at once' })
  @ApiRoute({
    summary: 'Wait until the run is terminal (408 `timeout` if it is still running after timeoutMs)',
    status: OK,
    result: schemaRef('AwaitResult'),
    errors: [NOT_FOUND, REQUEST_TIMEOUT, TOO_MANY_REQUESTS],
  })
  await(
    @Param('runId') runId: string,
    @Query() query: QueryParams,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<AwaitResult> {
    allowOnlyQueryKeys(query, ['timeoutMs']);
    const timeoutMs = timeoutQueryParam(query, 'timeoutMs');
    this.slots.occupy('awaiters', request, response);
    return this.orchestrator.await(runId, timeoutMs, disconnectSignal(response));
  }

  @Post(':runId/complete')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Complete a running run', body: 'CompleteRequest', status: OK, result: schemaRef('Run'), errors: [NOT_FOUND, CONFLICT] })
  complete(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<Run> {
    const { output, ...options } = body;
    return this.orchestrator.completeRun(runId, output, options);
  }

  @Post(':runId/fail')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Fail a running run', body: 'FailRequest', status: OK, result: schemaRef('Run'), errors: [NOT_FOUND, CONFLICT] })
  fail(@Param('runId') runId: string, @CommandBody() body: JsonBody): Promise<Run> {
    const { error, ...options } = body;
    return this.orchestrator.failRun(runId, error, options);
  }
}
