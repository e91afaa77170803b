import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { NatsContext, RmqContext } from '@nestjs/microservices';
import { OrchestratorError, type Orchestrator } from '@runtree/orchestration';
import { Registry } from 'prom-client';
import { BusMetrics } from '../ops/index.js';
import { BusIntake } from './bus-intake.js';
import { isPlainRequestId, readCommandPacket } from './command-deserializer.js';

/** A RabbitMQ request that names its operation and has a reply queue. */
const answerable = { messageType: 'p.run.start', replyTo: 'amq.rabbitmq.reply-to' };

/** An Orchestrator whose startRun settles only when the test says so. */
function pendingOrchestrator() {
  let settle: { resolve(value: unknown): void; reject(error: unknown): void } = { resolve: () => undefined, reject: () => undefined };
  const orchestrator = { startRun: () => new Promise((resolve, reject) => (settle = { resolve, reject })) } as unknown as Orchestrator;
  return { orchestrator, settle: () => settle };
}

function rabbitmqContext() {
  const acked: unknown[] = [];
  const message = { content: Buffer.from('{}') };
  const channel = { ack: (delivered: unknown) => acked.push(delivered) };
  return { context: new RmqContext([message as never, channel, 'p.run.start']), acked, message };
}

const intakeOf = (orchestrator: Orchestrator, registry = new Registry()) => new BusIntake(orchestrator, new BusMetrics(registry), 'p');

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the bus intake', () => {
  beforeAll(() => Logger.overrideLogger(false)); // the internal_error case logs its trace

  it('acknowledges a RabbitMQ command only once the Orchestrator call has succeeded', async () => {
    const { orchestrator, settle } = pendingOrchestrator();
    const { context, acked, message } = rabbitmqContext();

    const reply = intakeOf(orchestrator).handle('run.start', {}, context);
    await settled();
    expect(acked).toEqual([]);

    settle().resolve({ runId: 'r' });
    expect(await reply).toEqual({ ok: true, value: { runId: 'r' } });
    expect(acked).toEqual([message]);
  });

  it('acknowledges a RabbitMQ command the Orchestrator refused, once refused, and replies with the error', async () => {
    const { orchestrator, settle } = pendingOrchestrator();
    const { context, acked } = rabbitmqContext();

    const reply = intakeOf(orchestrator).handle('run.start', {}, context);
    await settled();
    expect(acked).toHaveLength(0);

    settle().reject(new OrchestratorError('conflict', 'lost a race', { runId: 'r' }));
    expect(await reply).toEqual({ ok: false, error: { code: 'conflict', message: 'lost a race', details: { runId: 'r' } } });
    expect(acked).toHaveLength(1);
  });

  it('replies to an unexpected failure with internal_error instead of throwing to the transport', async () => {
    const orchestrator = { startRun: () => Promise.reject(new TypeError('boom')) } as unknown as Orchestrator;
    const reply = await intakeOf(orchestrator).handle('run.start', {}, new NatsContext(['p.run.start', undefined]));
    expect(reply).toEqual({ ok: false, error: { code: 'internal_error', message: 'boom', details: {} } });
  });

  it.each([
    ['bytes that are no JSON object', 'not json', answerable, 'request', /^Invalid option: request must be a JSON object/],
    ['a plain request without a reply address', { runId: 'r' }, { subject: 'p.run.start', replyTo: undefined }, 'reply', /^Invalid option: reply is missing/],
    ['a plain AMQP request without a type', { runId: 'r' }, { replyTo: 'q' }, 'type', /^Invalid option: type must name the operation/],
    ['a packet without an id', { pattern: 'p.run.start', data: { runId: 'r' } }, answerable, 'body.id', /^Invalid option: body\.id is missing/],
    ['a packet whose id is no string', { pattern: 'p.run.start', data: { runId: 'r' }, id: 7 }, answerable, 'body.id', /^Invalid option: body\.id must be a string \(got number\)/],
  ])('refuses %s with invalid_option naming the field, acknowledges it and runs nothing', async (_, body, envelope, field, message) => {
    const startRun = jest.fn(() => Promise.resolve({ runId: 'r' }));
    const { context, acked } = rabbitmqContext();
    const packet = readCommandPacket(body, envelope);

    const reply = await intakeOf({ startRun } as unknown as Orchestrator).handle('run.start', packet.data, context);
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_option', message: expect.stringMatching(message), details: { field, reason: expect.any(String) } } });
    expect(packet.id).not.toBeUndefined(); // a request, so the transport answers it
    expect(startRun).not.toHaveBeenCalled();
    expect(acked).toHaveLength(1);
  });

  it("reads a Nest packet as the request it is, by its own pattern, keeping Nest's id (so the reply is wrapped for the ClientProxy)", () => {
    const packet = readCommandPacket({ pattern: 'p.run.start', data: { runId: 'r' }, id: 'i' }, { messageType: 'p.run.status', replyTo: 'q' });
    expect(packet).toEqual({ pattern: 'p.run.start', data: { runId: 'r' }, id: 'i' });
    expect(isPlainRequestId(packet.id)).toBe(false);
  });

  it('reads a plain request as its own payload, with an id that marks its reply to go out bare', () => {
    const packet = readCommandPacket({ runId: 'r' }, answerable);
    expect(packet).toEqual({ pattern: 'p.run.start', data: { runId: 'r' }, id: expect.any(String) });
    expect(isPlainRequestId(packet.id)).toBe(true);
  });

  it('counts every message by pattern and outcome for /metrics: ok, the error code, or unreadable', async () => {
    const registry = new Registry();
    const startRun = jest.fn(() => Promise.resolve({ runId: 'r' }));
    const intake = intakeOf({ startRun, status: () => Promise.reject(new OrchestratorError('not_found', 'no run', {})) } as unknown as Orchestrator, registry);
    await intake.handle('run.start', {}, new NatsContext(['p.run.start', undefined]));
    await intake.handle('run.start', {}, new NatsContext(['p.run.start', undefined]));
    await intake.handle('run.status', { runId: 'x' }, new NatsContext(['p.run.status', undefined]));
    await intake.handle('run.start', readCommandPacket('junk', { subject: 'p.run.start', replyTo: 'inbox' }).data, new NatsContext(['p.run.start', undefined]));

    const metrics = await registry.metrics();
    expect(metrics).toContain('runtree_bus_message_duration_seconds_count{pattern="p.run.start",outcome="ok"} 2');
    expect(metrics).toContain('runtree_bus_message_duration_seconds_count{pattern="p.run.status",outcome="not_found"} 1');
    expect(metrics).toContain('runtree_bus_message_duration_seconds_count{pattern="p.run.start",outcome="unreadable"} 1');
  });
});
