import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE, type RunPage } from '@runtree/orchestration';
import { brokersAvailable, busConfig, natsCaller, startBusApp, uniquePrefix, type BusCaller } from './bus-harness.js';

const describeWithBrokers = (await brokersAvailable()) ? describe : describe.skip;

type Value = Record<string, unknown>;

describeWithBrokers('bus intake on NATS', () => {
  const prefix = uniquePrefix();
  let app: INestApplication;
  let bus: BusCaller;

  beforeAll(async () => {
    app = await startBusApp(busConfig(prefix, ':memory:', { nats: true }));
    bus = await natsCaller(prefix);
  });

  afterAll(async () => {
    await bus?.close();
    await app?.close();
  });

  it('serves a session, a thread and a run through every lifecycle pattern', async () => {
    const session = await bus.value('session.open', { metadata: { user: 'ada' } });
    const thread = await bus.value('thread.start', { sessionId: session.sessionId, name: 'main' });
    const run = await bus.value('run.start', { kind: 'agent', sessionId: session.sessionId, threadId: thread.threadId });
    expect(run).toMatchObject({ kind: 'agent', status: 'running', sessionId: session.sessionId, threadId: thread.threadId });

    const step = await bus.value('step.start', { runId: run.runId, name: 'plan' });
    expect(await bus.value('step.complete', { runId: run.runId, stepId: step.stepId, output: { plan: 1 } })).toMatchObject({ status: 'completed' });
    const failing = await bus.value('step.start', { runId: run.runId, name: 'fetch' });
    expect(await bus.value('step.fail', { runId: run.runId, stepId: failing.stepId, error: 'offline' })).toMatchObject({ status: 'failed' });

    const spawned = await bus.value<{ run: Value }>('run.spawn', { parent: run.runId, kind: 'helper' });
    const delegated = await bus.value('run.delegate', { parent: run.runId, task: { question: 'why' } });
    const children = await bus.value<Array<{ run: Value }>>('run.children', { parent: run.runId });
    expect(children.map((child) => child.run.runId)).toEqual([spawned.run.runId, delegated.runId]);

    expect(await bus.value('run.fail', { runId: spawned.run.runId, error: { reason: 'gave up' } })).toMatchObject({ status: 'failed' });
    expect(await bus.value('run.complete', { runId: delegated.runId, output: 42 })).toMatchObject({ status: 'completed' });
    expect(await bus.value('run.await', { runId: delegated.runId, timeoutMs: 1_000 })).toMatchObject({ status: 'completed', output: 42 });
    expect(await bus.value('run.status', { runId: run.runId })).toMatchObject({ run: { runId: run.runId, status: 'running' } });

    const collected = await bus.value<Value & { steps: unknown[]; children: unknown[] }>('run.collect', { runId: run.runId, includeSteps: true });
    expect(collected.steps).toHaveLength(2);
    expect(collected.children).toHaveLength(2);

    expect(await bus.value('run.cancel', { runId: run.runId, reason: 'done here' })).toMatchObject({ runId: run.runId, cancelled: expect.arrayContaining([run.runId]) });
    expect(await bus.value('thread.close', { threadId: thread.threadId })).toMatchObject({ status: 'closed' });
    expect(await bus.value('session.close', { sessionId: session.sessionId })).toMatchObject({ status: 'closed' });
  });

  it('lists runs with run.list: filters in options, newest first, a page at a time, payloads only when asked', async () => {
    const kind = `listed-${prefix}`;
    const started: string[] = [];
    for (let index = 0; index < 5; index++) started.push(String((await bus.value('run.start', { kind, input: { index } })).runId));
    await bus.value('run.complete', { runId: started[4], output: 'done' });
    const newestFirst = [...started].reverse();

    const first = await bus.value<RunPage>('run.list', { kind, limit: 3, include: ['input', 'output'] });
    expect(first.runs.map((run) => run.runId)).toEqual(newestFirst.slice(0, 3));
    expect(first.runs[0]).toMatchObject({ kind, status: 'completed', input: { index: 4 }, output: 'done' });
    expect(first.runs[1]).toMatchObject({ status: 'running', input: { index: 3 } });
    expect(first.nextCursor).toEqual(expect.any(String));

    const second = await bus.value<RunPage>('run.list', { kind, limit: 3, cursor: first.nextCursor });
    expect(second.runs.map((run) => run.runId)).toEqual(newestFirst.slice(3));
    expect(second.runs[0]).not.toHaveProperty('input');
    expect(second.nextCursor).toBeUndefined();

    expect(await bus.value<RunPage>('run.list', { kind, status: 'completed' })).toEqual({ runs: [expect.objectContaining({ runId: started[4] })] });
    expect((await bus.value<RunPage>('run.list', {})).runs[0]).toMatchObject({ runId: started[4] });
  });

  it('answers an unknown run with a not_found error reply', async () => {
    const reply = await bus.call('run.status', { runId: 'no-such-run' });
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('no-such-run'), details: { runId: 'no-such-run' } } });
  });

  it.each([
    ['a missing field', 'run.complete', { output: 1 }, 'invalid_option', 'runId'],
    ['a field of the wrong type', 'run.complete', { runId: 7 }, 'invalid_option', 'runId'],
    ['a request that is not an object', 'run.status', 'run-1', 'invalid_option', 'request'],
    ['a field the request does not have', 'run.status', { runId: 'r', verbose: true }, 'unsupported_option', 'verbose'],
    ['a malformed option', 'run.start', { metadata: 'nope' }, 'invalid_option', 'metadata'],
    ['options nested the old way', 'run.start', { options: { kind: 'agent' } }, 'unsupported_option', 'options'],
    ['a listing filter of the wrong value', 'run.list', { status: 'done' }, 'invalid_option', 'status'],
    ['a listing page over maxListLimit', 'run.list', { limit: 1_001 }, 'invalid_option', 'limit'],
    ['a cursor no page gave', 'run.list', { cursor: 'not-a-cursor' }, 'invalid_option', 'cursor'],
    ['an unknown listing filter', 'run.list', { owner: 'me' }, 'unsupported_option', 'owner'],
  ])('answers %s with an error reply naming the field', async (_case, operation, payload, code, field) => {
    const reply = await bus.call(operation as 'run.status', payload);
    expect(reply).toEqual({ ok: false, error: { code, message: expect.stringContaining(field), details: expect.objectContaining({ field }) } });
  });

  it('applies a redelivered command once: the same commandId starts one run with one RunStarted', async () => {
    const command = { kind: 'retried', commandId: `${prefix}-start-once` };
    const first = await bus.value('run.start', command);
    const second = await bus.value('run.start', command);

    expect(second.runId).toBe(first.runId);
    const journal = await app.get<EventStore>(EVENT_STORE).readStream(`run-${String(first.runId)}`);
    expect(journal.map((event) => event.type)).toEqual(['RunStarted']);
  });
});
