import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { ReadStore } from '@runtree/read-store';
import type { DomainError } from '../api/errors.js';
import type { ChildStatus } from '../api/model.js';
import { READ_STORE } from '../module/tokens.js';
import { statusOf } from '../projections/views.js';
import { runNotFound } from './lookup-errors.js';

export class StatusQuery extends Query<E.Either<DomainError, ChildStatus>> {
  constructor(readonly runId: string) {
    super();
  }
}

@QueryHandler(StatusQuery)
export class StatusQueryHandler implements IQueryHandler<StatusQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ runId }: StatusQuery): Promise<E.Either<DomainError, ChildStatus>> {
    const [record, child] = await Promise.all([this.readStore.run(runId), this.readStore.child(runId)]);
    return record === undefined ? E.left(runNotFound(runId)) : E.right(statusOf(record, child));
  }
}
