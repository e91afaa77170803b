import { Controller, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Orchestrator, type UncheckedOrchestratorApi, type Session, type Thread } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import { CommandBody, type JsonBody } from './command-body.js';
import { schemaRef } from './openapi-schemas.js';

const { OK, CREATED, NOT_FOUND, CONFLICT } = HttpStatus;

/** Sessions and their threads: the substrates runs execute in. */
@ApiTags('sessions')
@Controller()
export class SessionsController {
  constructor(@Inject(Orchestrator) private readonly orchestrator: UncheckedOrchestratorApi) {}

  @Post('sessions')
  @ApiRoute({ summary: 'Open a session', body: 'OpenSessionRequest', status: CREATED, result: schemaRef('Session'), errors: [CONFLICT] })
  open(@CommandBody() body: JsonBody): Promise<Session> {
    return this.orchestrator.openSession(body);
  }

  @Post('sessions/:sessionId/close')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Close a session', body: 'CommandRequest', status: OK, result: schemaRef('Session'), errors: [NOT_FOUND, CONFLICT] })
  close(@Param('sessionId') sessionId: string, @CommandBody() body: JsonBody): Promise<Session> {
    return this.orchestrator.closeSession(sessionId, body);
  }

  @Post('sessions/:sessionId/threads')
  @ApiRoute({ summary: 'Start a thread in an open session', body: 'StartThreadRequest', status: CREATED, result: schemaRef('Thread'), errors: [NOT_FOUND, CONFLICT] })
  startThread(@Param('sessionId') sessionId: string, @CommandBody() body: JsonBody): Promise<Thread> {
    return this.orchestrator.startThread(sessionId, body);
  }

  @Post('threads/:threadId/close')
  @HttpCode(OK)
  @ApiRoute({ summary: 'Close a thread', body: 'CommandRequest', status: OK, result: schemaRef('Thread'), errors: [NOT_FOUND, CONFLICT] })
  closeThread(@Param('threadId') threadId: string, @CommandBody() body: JsonBody): Promise<Thread> {
    return this.orchestrator.closeThread(threadId, body);
  }
}
