import { Logger } from '@nestjs/common';
import { Orchestrator } from '@runtree/orchestration';
import { describeStore, loadRuntreeConfig } from './config.js';
import { createRuntreeApp } from './create-app.js';
import { SecretRedactor } from './security/secrets.js';

/** Set once the configuration is read: start-up failures may quote a connection string. */
let redactor: SecretRedactor | undefined;

async function bootstrap(): Promise<void> {
  const config = loadRuntreeConfig(process.env);
  if (!config.ok) {
    console.error(`runtree: bad configuration: ${config.error}`);
    process.exit(1);
  }
  redactor = new SecretRedactor(config.value);
  const app = await createRuntreeApp(config.value);
  await app.init();
  // Serve nothing before the read models have caught up and start-up recovery is done.
  await app.get(Orchestrator).ensureReady();
  await app.startAllMicroservices();
  await app.listen(config.value.httpPort, config.value.httpHost);
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('Runtree').log(`Journal in ${describeStore(config.value)}; API docs at http://127.0.0.1:${port}/docs`);
  // A plain line (no logger colours or prefix): whoever starts the process reads the real port from it (RUNTREE_HTTP_PORT=0 picks a free one).
  console.log(`Runtree listening on http://127.0.0.1:${port}`);
}

bootstrap().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`runtree: could not start: ${(redactor ?? new SecretRedactor({})).redact(reason)}`);
  process.exit(1);
});
