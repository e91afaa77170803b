import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from '../api/errors.js';
import type { Child } from '../api/model.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { parentNotFound } from './lookup-errors.js';

export class ListChildrenQuery extends Query<E.Either<DomainError, Child[]>> {
  constructor(readonly parentRunId: string) {
    super();
  }
}

@QueryHandler(ListChildrenQuery)
export class ListChildrenQueryHandler implements IQueryHandler<ListChildrenQuery> {
  constructor(private readonly projection: ProjectionRunner) {}

  async execute({ parentRunId }: ListChildrenQuery): Promise<E.Either<DomainError, Child[]>> {
    const children = this.projection.readModels.childrenOf(parentRunId);
    return children === undefined ? E.left(parentNotFound(parentRunId)) : E.right(children);
  }
}
