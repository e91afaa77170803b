import { Controller, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../security/admin-only.decorator.js';
import { Orchestrator } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import { CommandBody, type JsonBody } from './command-body.js';
import { schemaRef } from './openapi-schemas.js';
import { refuseAnyInput, type QueryParams } from './query-params.js';

type Ok = { readonly ok: true };

/** 404 while admin routes are off (no RUNTREE_ADMIN_TOKEN). */
const adminErrors = [HttpStatus.NOT_FOUND];

/** Read-model maintenance; neither route touches the journal. Off unless RUNTREE_ADMIN_TOKEN is set. */
@ApiTags('admin')
@AdminOnly()
@Controller('admin')
export class AdminController {
  constructor(private readonly orchestrator: Orchestrator) {}

  @Post('clear')
  @HttpCode(HttpStatus.OK)
  @ApiRoute({ access: 'admin', summary: 'Forget the read models and move their checkpoint to the end of the log', status: HttpStatus.OK, result: schemaRef('Ok'), errors: adminErrors })
  async clear(@CommandBody() body: JsonBody, @Query() query: QueryParams): Promise<Ok> {
    refuseAnyInput(query, body);
    await this.orchestrator.clear();
    return { ok: true };
  }

  @Post('rebuild')
  @HttpCode(HttpStatus.OK)
  @ApiRoute({ access: 'admin', summary: 'Replay the whole journal into fresh read models', status: HttpStatus.OK, result: schemaRef('Ok'), errors: adminErrors })
  async rebuild(@CommandBody() body: JsonBody, @Query() query: QueryParams): Promise<Ok> {
    refuseAnyInput(query, body);
    await this.orchestrator.rebuild();
    return { ok: true };
  }
}
