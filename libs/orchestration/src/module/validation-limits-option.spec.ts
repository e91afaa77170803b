import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { expectOrchestratorError } from '../../../../test/support/orchestrator-expect.js';
import { Orchestrator } from '../facade/orchestrator.js';
import { defaultValidationLimits, type ValidationLimits } from '../validation/validation-limits.js';
import { OrchestratorModule } from './orchestrator.module.js';

let app: INestApplicationContext | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function orchestratorWith(limits: Partial<ValidationLimits>): Promise<Orchestrator> {
  app = await NestFactory.createApplicationContext(OrchestratorModule.forRoot({ store: { kind: 'sqlite', path: ':memory:' }, limits }), { logger: false, abortOnError: false });
  return app.get(Orchestrator);
}

describe('the limits option of OrchestratorModule', () => {
  it('applies a configured id length: at the limit passes, one over is refused naming the field', async () => {
    const orchestrator = await orchestratorWith({ maxIdLength: 5 });
    await expect(orchestrator.startRun({ runId: 'abcde' })).resolves.toMatchObject({ runId: 'abcde' });
    const refused = await expectOrchestratorError(orchestrator.startRun({ runId: 'abcdef' }), 'invalid_option', { field: 'runId' });
    expect(refused.details.reason).toContain('maxIdLength (5)');
  });

  it('applies configured payload and metadata sizes and the await maximum', async () => {
    const orchestrator = await orchestratorWith({ maxPayloadBytes: 10, maxMetadataBytes: 20, maxTimeoutMs: 1000 });
    const run = await orchestrator.startRun({ input: '12345678' }); // 10 bytes of JSON with its quotes
    await expectOrchestratorError(orchestrator.startRun({ input: '123456789' }), 'invalid_option', { field: 'input' });
    await expectOrchestratorError(orchestrator.startRun({ metadata: { k: 'x'.repeat(20) } }), 'invalid_option', { field: 'metadata' });
    await expectOrchestratorError(orchestrator.await(run.runId, 1001), 'invalid_timeout');
    await expectOrchestratorError(orchestrator.await(run.runId, 1), 'timeout');
  });

  it('keeps the defaults for the limits it does not set', async () => {
    const orchestrator = await orchestratorWith({ maxPayloadBytes: 10 });
    await expect(orchestrator.startRun({ runId: 'a'.repeat(defaultValidationLimits.maxIdLength) })).resolves.toBeDefined();
  });

  it.each([
    [{ maxIdLength: 0 }, 'limits.maxIdLength must be a positive integer (got 0)'],
    [{ maxPayloadBytes: 1.5 }, 'limits.maxPayloadBytes must be a positive integer (got 1.5)'],
    [{ maxDepth: 3 } as Partial<ValidationLimits>, 'limits.maxDepth is not a validation limit'],
  ])('stops the module at start-up on a bad limit %p', async (limits, message) => {
    await expect(orchestratorWith(limits)).rejects.toThrow(message);
  });
});
