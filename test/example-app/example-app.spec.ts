import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Orchestrator } from '@runtree/orchestration';
import { ExampleAppModule } from './example-app.module.js';
import { ResearchAgentService } from './research-agent.service.js';

describe('an application importing OrchestratorModule', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(ExampleAppModule, { logger: false });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gets Orchestrator injected into its own service, delegates a task and awaits its answer', async () => {
    const outcome = await app.get(ResearchAgentService).research('event sourcing');

    expect(outcome.answer).toEqual({ answer: 'what the notes say about event sourcing' });
    const orchestrator = app.get(Orchestrator);
    expect(await orchestrator.listChildren(outcome.runId)).toEqual([
      expect.objectContaining({ relation: 'delegated', task: { question: 'event sourcing', sources: ['notes'] }, run: expect.objectContaining({ runId: outcome.taskRunId, status: 'completed' }) }),
    ]);
    expect((await orchestrator.status(outcome.runId)).run).toMatchObject({ status: 'completed', output: outcome.answer });
  });
});
