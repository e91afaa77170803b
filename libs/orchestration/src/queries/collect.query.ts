import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import type { DomainError } from '../api/errors.js';
import type { CollectResult } from '../api/model.js';
import type { CollectOptions } from '../api/options.js';
import { EVENT_STORE, READ_STORE } from '../module/tokens.js';
import { childOf, linkOf, runOf, stepOf } from '../projections/views.js';
import { readJournal } from './journal.js';
import { runNotFound } from './lookup-errors.js';

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
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ runId, options }: CollectQuery): Promise<E.Either<DomainError, CollectResult>> {
    const { includeSteps = true, includeJournal = true, includeDescendants = false } = options;
    const [record, children, self, steps, descendants] = await Promise.all([
      this.readStore.run(runId),
      this.readStore.children(runId),
      this.readStore.child(runId),
      includeSteps ? this.readStore.steps(runId) : undefined,
      includeDescendants ? this.readStore.descendants(runId) : undefined,
    ]);
    if (record === undefined) return E.left(runNotFound(runId));
    const result: Mutable<CollectResult> = { run: runOf(record), children: children.map(childOf) };
    if (self !== undefined) result.link = linkOf(self.link);
    if (steps !== undefined) result.steps = steps.map(stepOf);
    if (descendants !== undefined) result.descendants = descendants.map(childOf);
    if (includeJournal) result.journal = await readJournal(this.store, [runId, ...(descendants ?? []).map((child) => child.run.runId)]);
    return E.right(result);
  }
}
