import { Injectable } from '@nestjs/common';
import type { BaseRpcContext } from '@nestjs/microservices';
import * as E from 'fp-ts/lib/Either.js';
import { decodeInput, Orchestrator, OrchestratorError, uncheckedInput, type UncheckedOrchestratorApi } from '@runtree/orchestration';
import { acknowledge } from './bus-acknowledgement.js';
import type { BusOperation } from './bus-names.js';
import { busOperationCalls } from './bus-operations.js';
import { busPayloads } from './bus-payloads.js';
import { replyOf, type BusReply } from './bus-reply.js';
import { refuseUnreadable, UnreadableMessage } from './unreadable-message.js';

/** Serves one bus command, whichever transport brought it: payload check, Orchestrator call, reply, ack. */
@Injectable()
export class BusIntake {
  /** Payloads reach the facade undecoded: its codecs check them. */
  private readonly orchestrator: UncheckedOrchestratorApi;

  constructor(orchestrator: Orchestrator) {
    this.orchestrator = uncheckedInput(orchestrator);
  }

  async handle(operation: BusOperation, payload: unknown, context?: BaseRpcContext): Promise<BusReply> {
    // The deserializer could not read the message (command-deserializer.ts): answer why, run nothing.
    if (payload instanceof UnreadableMessage) return refuseUnreadable(payload, context);
    const reply = await replyOf(() => this.call(operation, payload));
    acknowledge(context);
    return reply;
  }

  private call(operation: BusOperation, payload: unknown): Promise<unknown> {
    const decoded = decodeInput(busPayloads[operation], payload, { fallback: 'payload' });
    if (E.isLeft(decoded)) throw OrchestratorError.from(decoded.left);
    // Each entry of the table takes the payload its own codec decodes.
    const call = busOperationCalls[operation] as (orchestrator: UncheckedOrchestratorApi, payload: unknown) => Promise<unknown>;
    return call(this.orchestrator, decoded.right);
  }
}
