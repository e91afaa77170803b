import { describe, expect, it } from '@jest/globals';
import { headers } from '@nats-io/transport-node';
import { NatsContext, RmqContext } from '@nestjs/microservices';
import { busMessageHeaders } from './bus-message-headers.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('busMessageHeaders', () => {
  it('reads the trace context and the request id of a NATS message', () => {
    const natsHeaders = headers();
    natsHeaders.set('traceparent', TRACEPARENT);
    natsHeaders.set('tracestate', 'vendor=1');
    natsHeaders.set('x-request-id', 'request-9');
    expect(busMessageHeaders(new NatsContext(['p.run.start', natsHeaders]))).toEqual({ trace: { traceparent: TRACEPARENT, tracestate: 'vendor=1' }, requestId: 'request-9' });
  });

  it("reads a RabbitMQ message's headers, its correlation id standing for the request id", () => {
    const message = { properties: { headers: { traceparent: TRACEPARENT }, correlationId: 'correlation-3' } };
    expect(busMessageHeaders(new RmqContext([message as never, {}, 'p.run.start']))).toEqual({ trace: { traceparent: TRACEPARENT }, requestId: 'correlation-3' });
  });

  it('gives no trace context and a fresh request id for a message without headers', () => {
    const read = busMessageHeaders(new NatsContext(['p.run.start', undefined]));
    expect(read.trace).toEqual({});
    expect(read.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(busMessageHeaders(undefined).requestId).not.toBe(read.requestId);
  });
});
