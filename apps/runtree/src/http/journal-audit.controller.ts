import { Controller, Get, HttpStatus, Param, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { endOf, exportedLines, journalOfLines, serializeEnd, serializeLine, verifyJournal } from '@runtree/journal-audit';
import { Orchestrator, schemaRegistry } from '@runtree/orchestration';
import type * as t from 'io-ts';
import { JournalVerificationCodec } from '../protocol/api-shapes.js';
import { ApiRoute } from './api-route.decorator.js';
import type { HttpResponse } from './express-types.js';
import { NDJSON } from './journal.controller.js';
import { schemaRef } from './openapi-schemas.js';
import { allowOnlyQueryKeys, booleanQueryParam, type QueryParams } from './query-params.js';

export type JournalVerification = t.TypeOf<typeof JournalVerificationCodec>;

const treeQuery = { name: 'tree', required: false, enum: ['true', 'false'], description: "Default false: the run's own journal; true: its whole tree's, in commit order" } as const;

function treeOf(query: QueryParams): boolean {
  allowOnlyQueryKeys(query, ['tree']);
  return booleanQueryParam(query, 'tree') ?? false;
}

/** A run's journal as `runtree journal export` writes it, and the checks `runtree journal verify` runs on it. */
@ApiTags('journal')
@Controller('runs/:runId/journal')
export class JournalAuditController {
  constructor(private readonly orchestrator: Orchestrator) {}

  @Get('export')
  @ApiQuery(treeQuery)
  @ApiRoute({
    summary: 'The journal export (NDJSON: one event a line, then the end record), the file `runtree journal verify` checks',
    status: HttpStatus.OK,
    result: { type: 'object' },
    // NDJSON is a sequence: its schema is that of each line.
    resultContent: { [NDJSON]: { type: 'object', description: 'An event { stream, revision, position, type, eventId, created, data, metadata, hash }; the last line is the end record { end }' } },
    errors: [HttpStatus.NOT_FOUND],
  })
  async export(@Param('runId') runId: string, @Query() query: QueryParams, @Res() response: HttpResponse): Promise<void> {
    const tree = treeOf(query);
    const lines = await exportedLines(this.orchestrator, runId, tree);
    const text = [...lines.map(serializeLine), serializeEnd(endOf(lines, runId, tree))].map((line) => `${line}\n`).join('');
    response
      .status(HttpStatus.OK)
      .set({ 'Content-Disposition': `attachment; filename="${runId}${tree ? '-tree' : ''}.ndjson"` })
      .type(NDJSON)
      .send(text);
  }

  @Get('verification')
  @ApiQuery(treeQuery)
  @ApiRoute({
    summary: "The journal's verification, as `runtree journal verify` does it: codecs, hash chains, revisions, lineage and the end record",
    status: HttpStatus.OK,
    result: schemaRef('JournalVerification'),
    errors: [HttpStatus.NOT_FOUND],
  })
  async verification(@Param('runId') runId: string, @Query() query: QueryParams): Promise<JournalVerification> {
    const tree = treeOf(query);
    const journal = journalOfLines(await exportedLines(this.orchestrator, runId, tree), runId, tree);
    const problems = verifyJournal(journal, schemaRegistry).map(({ where, message }) => ({ where, message }));
    const streamCount = new Set(journal.events.map((event) => event.line.stream)).size;
    return { runId, tree, ok: problems.length === 0, eventCount: journal.events.length, streamCount, problems };
  }
}
