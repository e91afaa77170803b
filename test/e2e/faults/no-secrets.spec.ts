import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Orchestrator, OrchestratorError, OrchestratorModule } from '@runtree/orchestration';
import { startEsdbDouble, type EsdbDouble } from '../../support/esdb-double/index.js';
import { eventually } from '../ops/ops-app.js';

const PASSWORD = 'pa55-never-print-me';

/** Keeps every line the orchestrator logs. */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  protected override printMessages(messages: unknown[]): void {
    this.lines.push(messages.map((message) => (message instanceof Error ? `${message.message} ${message.stack}` : String(message))).join(' '));
  }
}

describe('store_unavailable with credentials in the EventStoreDB connection string', () => {
  let double: EsdbDouble;
  let moduleRef: TestingModule;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    double = await startEsdbDouble();
    const connectionString = double.connectionString.replace('esdb://', `esdb://runtree:${PASSWORD}@`);
    moduleRef = await Test.createTestingModule({ imports: [OrchestratorModule.forRoot({ store: { kind: 'esdb', connectionString } })] })
      .setLogger(logger)
      .compile();
    await moduleRef.init();
    await moduleRef.get(Orchestrator).ensureReady();
  }, 30_000);

  afterAll(async () => {
    await double?.start();
    await moduleRef?.close();
    await double?.stop();
  });

  it('never puts the password in the error or in the logs', async () => {
    const orchestrator = moduleRef.get(Orchestrator);
    const run = await orchestrator.startRun();

    await double.stop();
    const failures: unknown[] = [];
    for (const command of [() => orchestrator.startRun(), () => orchestrator.completeRun(run.runId), () => orchestrator.ensureReady()]) {
      failures.push(await command().then(() => 'succeeded', (error: unknown) => error));
    }
    // The projection has logged its lost subscription by now.
    await eventually(async () => expect(logger.lines.join('\n')).toMatch(/Projection failed/));
    await double.start();

    for (const failure of failures) {
      expect(failure).toBeInstanceOf(OrchestratorError);
      expect(failure).toMatchObject({ code: 'store_unavailable' });
      expect(JSON.stringify({ message: (failure as Error).message, details: (failure as OrchestratorError).details })).not.toContain(PASSWORD);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.filter((line) => line.includes(PASSWORD))).toEqual([]);
  }, 60_000);
});
