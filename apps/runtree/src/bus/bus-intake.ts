import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BaseRpcContext } from '@nestjs/microservices';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import * as E from 'fp-ts/lib/Either.js';
import { decodeInput, Orchestrator, OrchestratorError, uncheckedInput, type UncheckedOrchestratorApi } from '@runtree/orchestration';
import { BusMetrics } from '../ops/index.js';
import { appTracer } from '../tracing/app-tracer.js';
import { acknowledge } from './bus-acknowledgement.js';
import { busMessageHeaders } from './bus-message-headers.js';
import { busNames, type BusNames, type BusOperation } from './bus-names.js';
import { BUS_PREFIX } from './bus-prefix.js';
import { busOperationCalls } from './bus-operations.js';
import { busRequestFields } from './bus-payloads.js';
import { replyOf, type BusReply } from './bus-reply.js';
import { refuseUnreadable, UnreadableMessage } from './unreadable-message.js';

/** The command id a request names. */
function commandIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { commandId } = payload as { commandId?: unknown };
  return typeof commandId === 'string' ? commandId : undefined;
}

/**
 * Serves one bus command, whichever transport brought it: payload check, Orchestrator call, reply,
 * ack; each in a span continuing the message's `traceparent`, timed for /metrics and logged in one
 * access line.
 */
@Injectable()
export class BusIntake {
  private readonly logger = new Logger(BusIntake.name);
  private readonly names: BusNames;
  /** Requests reach the facade undecoded: its codecs check them. */
  private readonly orchestrator: UncheckedOrchestratorApi;

  constructor(
    orchestrator: Orchestrator,
    private readonly metrics: BusMetrics,
    @Inject(BUS_PREFIX) prefix: string,
  ) {
    this.orchestrator = uncheckedInput(orchestrator);
    this.names = busNames(prefix);
  }

  handle(operation: BusOperation, payload: unknown, context?: BaseRpcContext): Promise<BusReply> {
    const started = performance.now();
    const headers = busMessageHeaders(context);
    const parent = propagation.extract(ROOT_CONTEXT, headers.trace);
    const pattern = this.names.pattern(operation);
    return appTracer.startActiveSpan(pattern, { kind: SpanKind.SERVER, attributes: { 'messaging.destination.name': pattern } }, parent, async (span) => {
      const reply = await this.reply(operation, payload, context);
      const outcome = payload instanceof UnreadableMessage ? 'unreadable' : reply.ok ? 'ok' : reply.error.code;
      const durationMs = performance.now() - started;
      if (!reply.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: reply.error.code });
      span.end();
      this.metrics.messageHandled(pattern, outcome, durationMs);
      const commandId = commandIdOf(payload);
      this.logger.log({ msg: 'bus message handled', pattern, outcome, durationMs: Math.round(durationMs), requestId: headers.requestId, ...(commandId !== undefined ? { commandId } : {}) });
      return reply;
    });
  }

  private async reply(operation: BusOperation, payload: unknown, context?: BaseRpcContext): Promise<BusReply> {
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
