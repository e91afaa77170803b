import { afterEach, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { EVENT_STORE, Orchestrator, OrchestratorModule } from '@runtree/orchestration';
import type { EventStore, RecordedEvent } from '@runtree/event-store';
import { AgentTrees, CHILD_KINDS, ROOT_KIND, steppingClock, type CommandSource, type TreeShape } from './agent-trees.js';

const shape: TreeShape = { childrenPerRoot: 4, stepsPerRoot: 2, stepsPerChild: 1, runningEvery: 2, failedEvery: 3 };

/** The same ids and times for the facade and for the generator. */
function fixedSource(): CommandSource {
  let ids = 0;
  return {
    newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
    clock: steppingClock(new Date('2026-01-01T00:00:00.000Z'), 250),
  };
}

let app: INestApplicationContext | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Two trees (the second left running) through the facade, with the commands the generator makes, in its order. */
async function facadeTrees(): Promise<RecordedEvent[]> {
  let source = fixedSource();
  const module = OrchestratorModule.forRoot({ store: { kind: 'sqlite', path: ':memory:' }, clock: () => source.clock(), generateId: () => source.newId() });
  app = await NestFactory.createApplicationContext(module, { logger: false });
  const orchestrator = app.get(Orchestrator);
  await orchestrator.ensureReady();
  // Start-up (recovery) takes an id and a time of its own: the commands start the sequence afresh.
  source = fixedSource();
  let children = 0;
  for (let tree = 1; tree <= 2; tree += 1) {
    const root = await orchestrator.startRun({ kind: ROOT_KIND, input: { question: `why is the sky blue (${tree})` } });
    const childIds: string[] = [];
    for (let index = 0; index < shape.childrenPerRoot; index += 1) {
      childIds.push((await orchestrator.spawn(root.runId, { kind: CHILD_KINDS[index % CHILD_KINDS.length], input: { query: `source ${index} of ${tree}` } })).run.runId);
    }
    for (const runId of [...childIds, root.runId]) {
      const steps = runId === root.runId ? shape.stepsPerRoot : shape.stepsPerChild;
      for (let index = 0; index < steps; index += 1) {
        const step = await orchestrator.startStep(runId, { name: 'think', input: { index } });
        await orchestrator.completeStep(runId, step.stepId, { tokens: 42 });
      }
      if (tree % shape.runningEvery === 0) continue;
      if (runId !== root.runId && (children += 1) % shape.failedEvery === 0) await orchestrator.failRun(runId, { message: 'tool timed out' });
      else await orchestrator.completeRun(runId, { answer: 'Rayleigh scattering' });
    }
  }
  return app.get<EventStore>(EVENT_STORE).readAll();
}

const comparable = (event: { streamName: string; id: string; type: string; data: unknown; metadata?: unknown }) => ({
  streamName: event.streamName,
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
});

describe('AgentTrees', () => {
  it('writes, event for event, what the facade writes for the same commands: ids, data, metadata, hash chain and order', async () => {
    const written = await facadeTrees();
    const trees = new AgentTrees(shape, fixedSource());
    const generated = [trees.next(), trees.next()].flatMap((tree) => tree.appends.flatMap((append) => append.events.map((event) => ({ ...event, streamName: append.streamName }))));
    expect(generated.map(comparable)).toEqual(written.map(comparable));
  });

  it('counts its runs and events, and leaves every runningEvery-th tree running', () => {
    const trees = new AgentTrees(shape, fixedSource());
    const finished = trees.next();
    const running = trees.next();
    expect(finished).toMatchObject({ runs: 5, events: 1 + 4 * 2 + 2 * 2 + 4 * 2 + 5 });
    expect(running).toMatchObject({ runs: 5, events: 1 + 4 * 2 + 2 * 2 + 4 * 2 });
    expect(running.appends.flatMap((append) => append.events).some((event) => event.type === 'RunCompleted' || event.type === 'RunFailed')).toBe(false);
  });
});
