import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { Orchestrator } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import { inputRejection } from './input-rejection.js';
import { JournalTails } from './journal-tail.js';
import { schemaRef } from './openapi-schemas.js';
import { booleanQuery, type QueryParams } from './query-params.js';

export const NDJSON = 'application/x-ndjson';
export const EVENT_STREAM = 'text/event-stream';

/** A run's journal: its events read from the store, as NDJSON or as a live server-sent-event tail. */
@ApiTags('journal')
@Controller('runs/:runId/journal')
export class JournalController {
  constructor(
    private readonly orchestrator: Orchestrator,
    private readonly tails: JournalTails,
  ) {}

  @Get()
  @ApiQuery({ name: 'descendants', required: false, enum: ['true', 'false'], description: "Also the descendants' events, merged in commit order" })
  @ApiQuery({ name: 'follow', required: false, enum: ['true', 'false'], description: 'With Accept: text/event-stream: keep the connection open and send new events as they are appended' })
  @ApiRoute({
    summary: "The run's events, one JournalEntry per line (NDJSON), or a server-sent-event tail (id: revision, event: type, data: JournalEntry)",
    status: HttpStatus.OK,
    result: schemaRef('JournalEntry'),
    resultTypes: [NDJSON, EVENT_STREAM],
    errors: [HttpStatus.NOT_FOUND],
  })
  async journal(@Param('runId') runId: string, @Query() query: QueryParams, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const { descendants = false, follow = false } = booleanQuery(query, ['descendants', 'follow']);
    if (follow) {
      if (descendants) throw inputRejection('unsupported_option', 'descendants', "cannot be combined with follow=true: a tail follows the run's own stream");
      if (!request.accepts(EVENT_STREAM)) throw inputRejection('invalid_option', 'follow', `needs the header Accept: ${EVENT_STREAM}`);
      await this.orchestrator.status(runId); // an unknown run is a 404, not an empty stream left open
      await this.tails.follow(runId, response);
      return;
    }
    const { journal = [] } = await this.orchestrator.collect(runId, { includeJournal: true, includeDescendants: descendants, includeSteps: false });
    response
      .status(HttpStatus.OK)
      .type(NDJSON)
      .send(journal.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }
}
