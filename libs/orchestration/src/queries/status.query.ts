import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { DomainError } from '../api/errors.js';
import type { ChildStatus } from '../api/model.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { runNotFound } from './lookup-errors.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class StatusQuery extends Query<E.Either<DomainError, ChildStatus>> {
  constructor(readonly runId: string) {
    super();
  }
}

@QueryHandler(StatusQuery)
export class StatusQueryHandler implements IQueryHandler<StatusQuery> {
  constructor(private readonly projection: ProjectionRunner) {}

  async execute({ runId }: StatusQuery): Promise<E.Either<DomainError, ChildStatus>> {
    const models = this.projection.readModels;
    const entry = models.getRun(runId);
    if (entry === undefined) return E.left(runNotFound(runId));
    const run = entry.run;
    const status: Mutable<ChildStatus> = {
      run,
      stepCount: entry.stepCount,
      activeStepCount: entry.activeStepCount,
      childCount: entry.childCount,
      activeChildCount: entry.activeChildCount,
      awaitable: run.status === 'running',
    };
    const child = models.childView(runId);
    if (child !== undefined) {
      status.relation = child.relation;
      status.parentRunId = child.parentRunId;
      status.substrate = child.substrate;
      if (child.sessionId !== undefined) status.sessionId = child.sessionId;
      if (child.threadId !== undefined) status.threadId = child.threadId;
      status.metadata = child.metadata;
      if (child.task !== undefined) status.task = child.task;
    }
    return E.right(status);
  }
}
