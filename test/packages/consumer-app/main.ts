import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Orchestrator, OrchestratorError, uncheckedInput } from '@runtree/orchestration';
import { AppModule } from './app.module.js';

async function rejectionCode(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    return error instanceof OrchestratorError ? error.code : `not an OrchestratorError: ${String(error)}`;
  }
}

/** Drives the operations through the installed packages and prints what it saw as one JSON line. */
const path = process.argv[2];
if (path === undefined) throw new Error('usage: node dist/main.js <sqlite file>');
const app = await NestFactory.createApplicationContext(AppModule.onSqliteFile(path), { logger: false });
try {
  const orchestrator = app.get(Orchestrator);
  const root = await orchestrator.startRun({ kind: 'research', input: { question: 'why' } });
  const spawned = await orchestrator.spawn(root.runId, { kind: 'search' });
  const delegated = await orchestrator.delegate(root, { summarise: 'notes' }, { kind: 'summary', session: { open: {} } });
  await orchestrator.completeRun(delegated.runId, { summary: 'done' });
  const awaited = await orchestrator.await(delegated.runId, 5_000);
  const collected = await orchestrator.collect(root.runId, { includeDescendants: true });
  const cancelled = await orchestrator.cancel(root.runId, 'finished');
  // What a JavaScript caller gets for the misspelt option that tsc refuses (misuse.ts).
  const fromJavaScript = uncheckedInput(orchestrator);
  const misspelt = await rejectionCode(() => fromJavaScript.startRun({ knd: 'typo' }));
  console.log(
    JSON.stringify({
      rootRunId: root.runId,
      spawnedKind: spawned.run.kind,
      delegatedHasSession: delegated.sessionId !== undefined,
      awaited: { status: awaited.status, output: awaited.output },
      collectedChildren: collected.children.map((child) => child.relation),
      cancelled: [...cancelled.cancelled].sort(),
      expectedCancelled: [root.runId, spawned.run.runId].sort(),
      rootAfterCancel: (await orchestrator.status(root.runId)).run.status,
      misspelt,
    }),
  );
} finally {
  await app.close();
}
