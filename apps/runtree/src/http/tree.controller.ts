import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiRoute } from './api-route.decorator.js';
import { ClientSlots } from './client-slots.js';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { inputRejection } from './input-rejection.js';
import { EVENT_STREAM } from './journal.controller.js';
import { schemaRef } from './openapi-schemas.js';
import { allowOnlyQueryKeys, type QueryParams } from './query-params.js';
import { TreeFeeds } from './tree-feed.js';

/** A run's whole tree, live: what the console draws. */
@ApiTags('runs')
@Controller('runs/:runId/tree')
export class TreeController {
  constructor(
    private readonly feeds: TreeFeeds,
    private readonly slots: ClientSlots,
  ) {}

  @Get()
  @ApiRoute({
    summary:
      "The tree the run belongs to, from its root, as server-sent events: `run` (a RunSummary) for each run of the tree, then `ready` ({ rootRunId, runCount }), " +
      'then `run` again for each run of the tree that changes or is new. `failed` ends it when the store fails: read it again.',
    status: HttpStatus.OK,
    result: schemaRef('ListedRun'),
    resultContent: { [EVENT_STREAM]: { type: 'string', description: 'Server-sent events: `run` (data: a ListedRun), `ready` ({ rootRunId, runCount }), `failed`' } },
    errors: [HttpStatus.NOT_FOUND, HttpStatus.TOO_MANY_REQUESTS],
  })
  async tree(@Param('runId') runId: string, @Query() query: QueryParams, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    allowOnlyQueryKeys(query, []);
    if (!request.accepts(EVENT_STREAM)) throw inputRejection('invalid_option', 'accept', `needs the header Accept: ${EVENT_STREAM}`);
    const rootRunId = await this.feeds.rootOf(runId);
    this.slots.occupy('followers', request, response);
    await this.feeds.follow(rootRunId, response);
  }
}
