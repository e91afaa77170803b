import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { EventStore } from '@runtree/event-store';
import type { DomainError } from '../api/errors.js';
import type { CollectResult } from '../api/model.js';
import type { CollectOptions } from '../api/options.js';
import { EVENT_STORE } from '../module/tokens.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { readJournal } from './journal.js';
import { runNotFound, storeUnavailableOrRethrow } from './lookup-errors.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Options are validated by the caller; absent ones take the spec's defaults. */
export class CollectQuery extends Query<E.Either<DomainError, CollectResult>> {
  constructor(
    readonly runId: string,
    readonly options: CollectOptions = {},
  ) {
    super();
  }
}

@QueryHandler(CollectQuery)
export class CollectQueryHandler implements IQueryHandler<CollectQuery> {
  constructor(
    private readonly projection: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ runId, options }: CollectQuery): Promise<E.Either<DomainError, CollectResult>> {
    const { includeSteps = true, includeJournal = true, includeDescendants = false } = options;
    const models = this.projection.readModels;
    const entry = models.getRun(runId);
    if (entry === undefined) return E.left(runNotFound(runId));
    const result: Mutable<CollectResult> = { run: entry.run, children: models.childrenOf(runId) ?? [] };
    if (entry.link !== undefined) result.link = entry.link;
    if (includeSteps) result.steps = [...entry.steps];
    const descendantIds = includeDescendants ? models.descendantIds(runId) : [];
    if (includeDescendants) result.descendants = descendantIds.map((id) => models.childView(id)!);
    if (includeJournal) {
      try {
        result.journal = await readJournal(this.store, [runId, ...descendantIds]);
      } catch (error) {
        return E.left(storeUnavailableOrRethrow(error));
      }
    }
    return E.right(result);
  }
}
