import { Injectable } from '@nestjs/common';
import { Command, CommandHandler } from '@nestjs/cqrs';
import * as E from 'fp-ts/lib/Either.js';
import type { Position } from '@runtree/event-store';
import type { DomainError } from '../api/errors.js';
import type { JsonObject } from '../api/model.js';
import { checkSessionUsable, sessionDecider } from '../domain/session/session-decider.js';
import { threadDecider } from '../domain/thread/thread-decider.js';
import { sessionStream, threadStream } from '../streams/stream-names.js';
import type { CommandContext } from '../write/event-envelope.js';
import { StreamRepository } from '../write/stream-repository.js';
import { seenCommand } from './command-context.js';

export interface SubstrateOutcome {
  readonly id: string;
  readonly position?: Position;
}

export class OpenSessionCommand extends Command<E.Either<DomainError, SubstrateOutcome>> {
  constructor(readonly sessionId: string, readonly metadata: JsonObject, readonly context: CommandContext) {
    super();
  }
}

export class CloseSessionCommand extends Command<E.Either<DomainError, SubstrateOutcome>> {
  constructor(readonly sessionId: string, readonly context: CommandContext) {
    super();
  }
}

export class StartThreadCommand extends Command<E.Either<DomainError, SubstrateOutcome>> {
  constructor(
    readonly sessionId: string,
    readonly threadId: string,
    readonly name: string | undefined,
    readonly metadata: JsonObject,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class CloseThreadCommand extends Command<E.Either<DomainError, SubstrateOutcome>> {
  constructor(readonly threadId: string, readonly context: CommandContext) {
    super();
  }
}

const outcome = (id: string) => E.map((done: { position?: Position }): SubstrateOutcome => ({ id, position: done.position }));

// Injectable so its constructor's parameter types are recorded for the subclasses.
@Injectable()
abstract class SessionCommandHandler {
  constructor(private readonly streams: StreamRepository) {}

  async execute(command: OpenSessionCommand | CloseSessionCommand): Promise<E.Either<DomainError, SubstrateOutcome>> {
    const decision = command instanceof OpenSessionCommand ? { type: 'OpenSession' as const, metadata: command.metadata } : { type: 'CloseSession' as const };
    const executed = await this.streams.execute(sessionStream(command.sessionId), command.sessionId, sessionDecider, decision, command.context, {
      alreadyApplied: seenCommand(command.context),
    });
    return outcome(command.sessionId)(executed);
  }
}

// Injectable so its constructor's parameter types are recorded for the subclasses.
@Injectable()
abstract class ThreadCommandHandler {
  constructor(private readonly streams: StreamRepository) {}

  async execute(command: StartThreadCommand | CloseThreadCommand): Promise<E.Either<DomainError, SubstrateOutcome>> {
    if (command instanceof StartThreadCommand) {
      // A closed session accepts no new thread.
      const session = await this.streams.load(sessionStream(command.sessionId), command.sessionId, sessionDecider);
      const usable = checkSessionUsable(session.state);
      if (E.isLeft(usable) && !seenCommand(command.context)(session.state)) return usable;
    }
    const decision =
      command instanceof StartThreadCommand
        ? { type: 'StartThread' as const, sessionId: command.sessionId, metadata: command.metadata, ...(command.name !== undefined ? { name: command.name } : {}) }
        : { type: 'CloseThread' as const };
    const executed = await this.streams.execute(threadStream(command.threadId), command.threadId, threadDecider, decision, command.context, {
      alreadyApplied: seenCommand(command.context),
    });
    return outcome(command.threadId)(executed);
  }
}

// @nestjs/cqrs binds one command class per handler class.
@CommandHandler(OpenSessionCommand)
export class OpenSessionHandler extends SessionCommandHandler {}
@CommandHandler(CloseSessionCommand)
export class CloseSessionHandler extends SessionCommandHandler {}
@CommandHandler(StartThreadCommand)
export class StartThreadHandler extends ThreadCommandHandler {}
@CommandHandler(CloseThreadCommand)
export class CloseThreadHandler extends ThreadCommandHandler {}

export const substrateCommandHandlers = [OpenSessionHandler, CloseSessionHandler, StartThreadHandler, CloseThreadHandler];
