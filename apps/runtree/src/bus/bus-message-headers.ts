import { randomUUID } from 'node:crypto';
import { NatsContext, RmqContext, type BaseRpcContext } from '@nestjs/microservices';

/** What a bus message says about itself, whichever transport brought it. */
export interface BusMessageHeaders {
  /** The W3C trace context headers it carried (`traceparent`, `tracestate`), to continue its trace. */
  readonly trace: Readonly<Record<string, string>>;
  /** RabbitMQ's correlation id, an `x-request-id` header, or a new UUID. */
  readonly requestId: string;
}

const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/** A header's value from the transport's own header shape (NATS `MsgHdrs`, AMQP properties). */
function headerReader(context: BaseRpcContext | undefined): (name: string) => unknown {
  if (context instanceof NatsContext) {
    const headers = context.getHeaders() as { get(name: string): string } | undefined;
    return (name) => (headers?.get(name) || undefined);
  }
  if (context instanceof RmqContext) {
    const properties = (context.getMessage() as { properties?: { headers?: Record<string, unknown>; correlationId?: unknown } }).properties;
    return (name) => (name === 'x-request-id' ? (properties?.headers?.[name] ?? properties?.correlationId) : properties?.headers?.[name]);
  }
  return () => undefined;
}

export function busMessageHeaders(context: BaseRpcContext | undefined): BusMessageHeaders {
  const read = headerReader(context);
  const trace: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = read(name);
    if (typeof value === 'string') trace[name] = value;
  }
  const requestId = read('x-request-id');
  return { trace, requestId: typeof requestId === 'string' && requestId !== '' ? requestId : randomUUID() };
}
