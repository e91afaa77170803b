import { Inject, Injectable } from '@nestjs/common';
import type { BaseRpcContext } from '@nestjs/microservices';
import * as E from 'fp-ts/lib/Either.js';
import { decodeInput, Orchestrator, OrchestratorError, uncheckedInput, type UncheckedOrchestratorApi } from '@runtree/orchestration';
import { acknowledge } from './bus-acknowledgement.js';
import { busNames, type BusNames, type BusOperation } from './bus-names.js';
import { busOperationCalls } from './bus-operations.js';
import { busRequestFields } from './bus-payloads.js';
import { BUS_PREFIX } from './bus-prefix.js';
import { replyOf, type BusReply } from './bus-reply.js';
import { refuseUnreadable, UnreadableMessage } from './unreadable-message.js';

/** Serves one bus command, whichever transport brought it: payload check, Orchestrator call, reply, ack. */
@Injectable()
export class BusIntake {
  private readonly names: BusNames;
  private readonly orchestrator: UncheckedOrchestratorApi;

  constructor(orchestrator: Orchestrator, @Inject(BUS_PREFIX) prefix: string) {
    this.orchestrator = uncheckedInput(orchestrator);
    this.names = busNames(prefix);
  }

  async handle(operation: BusOperation, payload: unknown, context?: BaseRpcContext): Promise<BusReply> {
    // The deserializer could not read the message (command-deserializer.ts): answer why, run nothing.
    if (payload instanceof UnreadableMessage) return refuseUnreadable(payload, context);
    const reply = await replyOf(() => this.call(operation, payload));
    acknowledge(context);
    return reply;
  }

  private call(operation: BusOperation, payload: unknown): Promise<unknown> {
    const decoded = decodeInput(busRequestFields[operation], payload, { fallback: 'request' });
    if (E.isLeft(decoded)) throw OrchestratorError.from(decoded.left);
    return busOperationCalls[operation]({ orchestrator: this.orchestrator, names: this.names }, decoded.right);
  }
}
