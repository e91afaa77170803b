import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Orchestrator, OrchestratorModule } from '@runtree/orchestration';
import { loadRuntreeConfig, storeOptionsOf, describeStore } from './config.js';

async function bootstrap(): Promise<void> {
  const config = loadRuntreeConfig(process.env);
  if (!config.ok) {
    console.error(`runtree: bad configuration: ${config.error}`);
    process.exit(1);
  }
  @Module({ imports: [OrchestratorModule.forRoot({ store: storeOptionsOf(config.value) })] })
  class RuntreeModule {}

  const app = await NestFactory.createApplicationContext(RuntreeModule, { logger: ['error', 'warn', 'log'] });
  await app.get(Orchestrator).ensureReady();
  // Until the HTTP service exists, start-up proves the store opens, the read models catch up and
  // recovery runs, says where the journal is, and stops.
  new Logger('Runtree').log(`ready on ${describeStore(config.value)}; the HTTP API and bus intake are not built yet`);
  await app.close();
}

void bootstrap();
