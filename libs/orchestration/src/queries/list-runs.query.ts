import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ListedRun as ListedRow, ReadStore, RunListQuery } from '@runtree/read-store';
import type { ListedRun, RunPage } from '../api/model.js';
import { READ_STORE } from '../module/tokens.js';
import { runSummaryOf, withOutcome } from '../projections/views.js';
import { encodeCursor } from '../validation/list-codecs.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ListRunsQuery extends Query<RunPage> {
  constructor(readonly query: RunListQuery) {
    super();
  }
}

function listedRunOf(row: ListedRow): ListedRun {
  const run: Mutable<ListedRun> = runSummaryOf(row);
  if (row.metadata !== undefined) run.metadata = row.metadata;
  if (row.input !== undefined) run.input = row.input;
  return withOutcome(run, row.status, row.outcome);
}

/** A page of runs, newest first, with the cursor of the next page when there is one. */
@QueryHandler(ListRunsQuery)
export class ListRunsQueryHandler implements IQueryHandler<ListRunsQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ query }: ListRunsQuery): Promise<RunPage> {
    const page = await this.readStore.listRuns(query);
    const runs = page.runs.map(listedRunOf);
    const last = page.runs[page.runs.length - 1];
    return page.more && last !== undefined ? { runs, nextCursor: encodeCursor(last.listingKey) } : { runs };
  }
}
