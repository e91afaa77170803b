import { Controller, Get, HttpStatus, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { Orchestrator, RunJournals, type JournalPage, type PageRequest } from '@runtree/orchestration';
import type { RuntreeConfig } from '../config.js';
import { RUNTREE_CONFIG } from '../security/runtree-config.token.js';
import { ApiRoute } from './api-route.decorator.js';
import { ClientSlots } from './client-slots.js';
import { inputRejection } from './input-rejection.js';
import { parsePageLimit } from './page-limit.js';
import { JournalTails } from './journal-tail.js';
import { schemaRef } from './openapi-schemas.js';
import { allowOnlyQueryKeys, booleanQueryParam, type QueryParams } from './query-params.js';

export const NDJSON = 'application/x-ndjson';
export const EVENT_STREAM = 'text/event-stream';

/** A run's journal: its events read from the store, as NDJSON or as a live server-sent-event tail. */
@ApiTags('journal')
@Controller('runs/:runId/journal')
export class JournalController {
  constructor(
    private readonly orchestrator: Orchestrator,
    private readonly tails: JournalTails,
    private readonly journals: RunJournals,
    private readonly slots: ClientSlots,
    @Inject(RUNTREE_CONFIG) private readonly config: RuntreeConfig,
  ) {}

  @Get()
  @ApiQuery({ name: 'descendants', required: false, enum: ['true', 'false'], description: "Also the descendants' events, merged in commit order" })
  @ApiQuery({ name: 'follow', required: false, enum: ['true', 'false'], description: 'With Accept: text/event-stream: keep the connection open and send new events as they are appended' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: 'Most entries in this page: 1 to the page size (RUNTREE_JOURNAL_PAGE_SIZE, default 1000), which is also the default' })
  @ApiQuery({ name: 'after', required: false, type: 'string', description: 'Opaque cursor: the page after it. Taken from the Link rel="next" header of the previous page' })
  @ApiRoute({
    summary:
      "The run's events, one JournalEntry per line (NDJSON), a page at a time: when there is more, a `Link: <...>; rel=\"next\"` header gives the next page's URL. " +
      'Or a server-sent-event tail (id: revision, event: type, data: JournalEntry).',
    status: HttpStatus.OK,
    result: schemaRef('JournalEntry'),
    // NDJSON is a sequence: its schema is that of each line. The event stream is text whose `data:` lines each hold a JournalEntry.
    resultContent: {
      [NDJSON]: schemaRef('JournalEntry'),
      [EVENT_STREAM]: { type: 'string', description: 'Server-sent events: `id: <revision>`, `event: <type>`, `data: <JournalEntry as JSON>`' },
    },
    resultHeaders: {
      Link: { description: 'With more entries: `<url>; rel="next"`, the URL of the next page', schema: { type: 'string' } },
    },
    errors: [HttpStatus.NOT_FOUND, HttpStatus.TOO_MANY_REQUESTS],
  })
  async journal(@Param('runId') runId: string, @Query() query: QueryParams, @Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    allowOnlyQueryKeys(query, ['descendants', 'follow', 'after', 'limit']);
    const descendants = booleanQueryParam(query, 'descendants') ?? false;
    const follow = booleanQueryParam(query, 'follow') ?? false;
    if (follow) {
      if (descendants) throw inputRejection('unsupported_option', 'descendants', "cannot be combined with follow=true: a tail follows the run's own stream");
      const paging = ['after', 'limit'].find((key) => query[key] !== undefined);
      if (paging) throw inputRejection('unsupported_option', paging, 'cannot be combined with follow=true: a tail sends every event');
      if (!request.accepts(EVENT_STREAM)) throw inputRejection('invalid_option', 'follow', `needs the header Accept: ${EVENT_STREAM}`);
      await this.orchestrator.status(runId); // an unknown run is a 404, not an empty stream left open
      this.slots.occupy('followers', request, response);
      await this.tails.follow(runId, response);
      return;
    }
    const pageRequest = { limit: parsePageLimit(query.limit, this.config.limits.journalPageSize), ...cursorOf(query) };
    const page = await this.page(runId, descendants, pageRequest);
    if (page.next !== undefined) response.set({ Link: `<${nextPageUrl(runId, descendants, page.next, pageRequest.limit)}>; rel="next"` });
    response
      .status(HttpStatus.OK)
      .type(NDJSON)
      .send(page.entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }

  private async page(runId: string, descendants: boolean, pageRequest: PageRequest): Promise<JournalPage> {
    if (!descendants) {
      await this.orchestrator.status(runId); // validates the id; an unknown run is a 404
      return this.journals.pageOfRun(runId, pageRequest);
    }
    const tree = await this.orchestrator.collect(runId, { includeJournal: false, includeDescendants: true, includeSteps: false });
    return this.journals.pageOfRuns([runId, ...(tree.descendants ?? []).map((child) => child.run.runId)], pageRequest);
  }
}

function cursorOf(query: QueryParams): { after?: string } {
  const after = query.after;
  if (after === undefined) return {};
  if (typeof after !== 'string') throw inputRejection('invalid_option', 'after', 'must be given once');
  return { after };
}

/** Path and query of the next page, relative to the server (RFC 8288 resolves it against the request). */
function nextPageUrl(runId: string, descendants: boolean, after: string, limit: number): string {
  const query = new URLSearchParams({ ...(descendants ? { descendants: 'true' } : {}), after, limit: String(limit) });
  return `/runs/${encodeURIComponent(runId)}/journal?${query.toString()}`;
}
