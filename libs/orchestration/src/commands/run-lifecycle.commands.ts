import { Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { JsonValue, Position } from '@runtree/event-store';
import type { DomainError } from '../api/errors.js';
import type { JsonObject } from '../api/model.js';
import { runDecider, type RunCommand } from '../domain/run/run-decider.js';
import { checkSessionUsable, sessionDecider } from '../domain/session/session-decider.js';
import { checkThreadUsable, threadDecider } from '../domain/thread/thread-decider.js';
import { runStream, sessionStream, threadStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { seenCommand } from './command-context.js';

export interface RunOutcome {
  readonly runId: string;
  readonly position?: Position;
}

/** A command that is one decision on one run's stream. */
abstract class RunStreamCommand extends Command<E.Either<DomainError, RunOutcome>> {
  constructor(
    readonly runId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
  abstract toDecision(): RunCommand;
}

export class StartRunCommand extends RunStreamCommand {
  constructor(
    runId: string,
    readonly kind: string,
    readonly metadata: JsonObject,
    readonly input: JsonValue | undefined,
    readonly sessionId: string | undefined,
    readonly threadId: string | undefined,
    context: CommandContext,
  ) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return {
      type: 'StartRun',
      runId: this.runId,
      kind: this.kind,
      metadata: this.metadata,
      ...(this.input !== undefined ? { input: this.input } : {}),
      ...(this.sessionId !== undefined ? { sessionId: this.sessionId } : {}),
      ...(this.threadId !== undefined ? { threadId: this.threadId } : {}),
    };
  }
}

export class CompleteRunCommand extends RunStreamCommand {
  constructor(runId: string, readonly output: JsonValue | undefined, context: CommandContext) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return { type: 'CompleteRun', ...(this.output !== undefined ? { output: this.output } : {}) };
  }
}

export class FailRunCommand extends RunStreamCommand {
  constructor(runId: string, readonly error: JsonValue, context: CommandContext) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return { type: 'FailRun', error: this.error };
  }
}

export class StartStepCommand extends RunStreamCommand {
  constructor(runId: string, readonly stepId: string, readonly name: string, readonly kind: string, readonly input: JsonValue | undefined, context: CommandContext) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return { type: 'StartStep', stepId: this.stepId, name: this.name, kind: this.kind, ...(this.input !== undefined ? { input: this.input } : {}) };
  }
}

export class CompleteStepCommand extends RunStreamCommand {
  constructor(runId: string, readonly stepId: string, readonly output: JsonValue | undefined, context: CommandContext) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return { type: 'CompleteStep', stepId: this.stepId, ...(this.output !== undefined ? { output: this.output } : {}) };
  }
}

export class FailStepCommand extends RunStreamCommand {
  constructor(runId: string, readonly stepId: string, readonly error: JsonValue, context: CommandContext) {
    super(runId, context);
  }
  toDecision(): RunCommand {
    return { type: 'FailStep', stepId: this.stepId, error: this.error };
  }
}

/** Every run-stream command: load, decide, append; a retried command id appends nothing. */
// Injectable so its constructor's parameter types are recorded for the subclasses.
@Injectable()
abstract class RunStreamCommandHandler implements ICommandHandler<RunStreamCommand> {
  constructor(private readonly streams: StreamRepository) {}

  async execute(command: RunStreamCommand): Promise<E.Either<DomainError, RunOutcome>> {
    if (command instanceof StartRunCommand) {
      const substrate = await this.checkSubstrate(command);
      if (E.isLeft(substrate)) return substrate;
    }
    const executed = await this.streams.execute(runStream(command.runId), command.runId, runDecider, command.toDecision(), command.context, {
      alreadyApplied: seenCommand(command.context),
    });
    return E.map((done: { position?: Position }) => ({ runId: command.runId, position: done.position }))(executed);
  }

  /** A root run may start in an open session, and in an open thread of that session. */
  private async checkSubstrate(command: StartRunCommand): Promise<E.Either<DomainError, void>> {
    if (command.sessionId === undefined) return E.right(undefined);
    const session = await this.streams.load(sessionStream(command.sessionId), command.sessionId, sessionDecider);
    const usable = checkSessionUsable(session.state);
    if (E.isLeft(usable)) return usable;
    if (command.threadId === undefined) return E.right(undefined);
    const thread = await this.streams.load(threadStream(command.threadId), command.threadId, threadDecider);
    return E.map(() => undefined)(checkThreadUsable(thread.state, command.sessionId));
  }
}

// @nestjs/cqrs binds one command class per handler class.
@CommandHandler(StartRunCommand)
export class StartRunHandler extends RunStreamCommandHandler {}
@CommandHandler(CompleteRunCommand)
export class CompleteRunHandler extends RunStreamCommandHandler {}
@CommandHandler(FailRunCommand)
export class FailRunHandler extends RunStreamCommandHandler {}
@CommandHandler(StartStepCommand)
export class StartStepHandler extends RunStreamCommandHandler {}
@CommandHandler(CompleteStepCommand)
export class CompleteStepHandler extends RunStreamCommandHandler {}
@CommandHandler(FailStepCommand)
export class FailStepHandler extends RunStreamCommandHandler {}

export const runStreamCommandHandlers = [StartRunHandler, CompleteRunHandler, FailRunHandler, StartStepHandler, CompleteStepHandler, FailStepHandler];
