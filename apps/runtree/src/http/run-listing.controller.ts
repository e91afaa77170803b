import { Controller, Get, HttpStatus, Query, Req, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Orchestrator, type RunPage } from '@runtree/orchestration';
import { ApiRoute } from './api-route.decorator.js';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { inputRejection } from './input-rejection.js';
import { schemaRef } from './openapi-schemas.js';
import { allowOnlyQueryKeys, type QueryParams } from './query-params.js';

const textFilters = ['status', 'kind', 'parentRunId', 'rootRunId', 'sessionId', 'threadId', 'createdAfter', 'createdBefore', 'cursor'] as const;
const listKeys = [...textFilters, 'limit', 'include'];

/** The query string as `listRuns` options: strings as given, `limit` as a number, `include` split at commas. */
function listOptions(query: QueryParams): Record<string, unknown> {
  allowOnlyQueryKeys(query, listKeys);
  const options: Record<string, unknown> = {};
  for (const key of listKeys) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw inputRejection('invalid_option', key, 'must be given once');
    if (key === 'limit') {
      if (!/^\d{1,9}$/.test(value)) throw inputRejection('invalid_option', key, 'must be a positive integer');
      options.limit = Number(value);
    } else if (key === 'include') options.include = value === '' ? [] : value.split(',');
    else options[key] = value;
  }
  return options;
}

/** The URL of the next page: this request's query with the cursor of the page after it. */
function nextPageUrl(request: HttpRequest, cursor: string): string {
  const url = new URL(request.originalUrl, 'http://runtree');
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}${url.search}`;
}

/** Listing runs: filters, newest first, keyset pages. */
@ApiTags('runs')
@Controller('runs')
export class RunListingController {
  constructor(private readonly orchestrator: Orchestrator) {}

  @Get()
  @ApiQuery({ name: 'status', required: false, enum: ['running', 'completed', 'failed', 'cancelled'] })
  @ApiQuery({ name: 'kind', required: false, type: 'string' })
  @ApiQuery({ name: 'parentRunId', required: false, type: 'string', description: 'Direct children of this run' })
  @ApiQuery({ name: 'rootRunId', required: false, type: 'string', description: 'This root run and all its descendants' })
  @ApiQuery({ name: 'sessionId', required: false, type: 'string' })
  @ApiQuery({ name: 'threadId', required: false, type: 'string' })
  @ApiQuery({ name: 'createdAfter', required: false, type: 'string', description: 'ISO-8601 timestamp, exclusive' })
  @ApiQuery({ name: 'createdBefore', required: false, type: 'string', description: 'ISO-8601 timestamp, exclusive' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: 'Runs per page: default 100, at most RUNTREE_LIST_PAGE_SIZE (1000)' })
  @ApiQuery({ name: 'cursor', required: false, type: 'string', description: 'Opaque: the nextCursor of the previous page (also in its Link rel="next" header)' })
  @ApiQuery({ name: 'include', required: false, type: 'string', description: 'Payloads to add, comma-separated: metadata, input, output (output also brings error and cancelReason)' })
  @ApiRoute({ summary: 'List runs, newest first, a page at a time', status: HttpStatus.OK, result: schemaRef('RunPage') })
  async list(@Query() query: QueryParams, @Req() request: HttpRequest, @Res({ passthrough: true }) response: HttpResponse): Promise<RunPage> {
    const page = await this.orchestrator.listRuns(listOptions(query));
    if (page.nextCursor !== undefined) response.set({ Link: `<${nextPageUrl(request, page.nextCursor)}>; rel="next"` });
    return page;
  }
}
