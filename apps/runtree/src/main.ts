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

  const app = await NestFactory.createApplicationContext(RuntreeModule, { bufferLogs: false });
  app.enableShutdownHooks();
  await app.get(Orchestrator).ensureReady();
  new Logger('Runtree').log(`ready on ${describeStore(config.value)} (the HTTP API and bus intake come with the service issue)`);
}

void bootstrap();
