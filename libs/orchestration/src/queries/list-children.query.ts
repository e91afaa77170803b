import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { ReadStore } from '@runtree/read-store';
import type { DomainError } from '../api/errors.js';
import type { Child } from '../api/model.js';
import { READ_STORE } from '../module/tokens.js';
import { childOf } from '../projections/views.js';
import { parentNotFound } from './lookup-errors.js';

export class ListChildrenQuery extends Query<E.Either<DomainError, Child[]>> {
  constructor(readonly parentRunId: string) {
    super();
  }
}

@QueryHandler(ListChildrenQuery)
export class ListChildrenQueryHandler implements IQueryHandler<ListChildrenQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ parentRunId }: ListChildrenQuery): Promise<E.Either<DomainError, Child[]>> {
    const [parent, children] = await Promise.all([this.readStore.runCore(parentRunId), this.readStore.children(parentRunId)]);
    return parent === undefined ? E.left(parentNotFound(parentRunId)) : E.right(children.map(childOf));
  }
}
