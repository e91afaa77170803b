import { Orchestrator } from '@runtree/orchestration';
import { describeStore, loadRuntreeConfig } from './config.js';
import { createRuntreeApp } from './create-app.js';
import { createRootLogger } from './logging/root-logger.js';
import { SecretRedactor } from './security/secrets.js';

/** Set once the configuration is read: start-up failures may quote a connection string. */
let redactor: SecretRedactor | undefined;

async function bootstrap(): Promise<void> {
  const config = loadRuntreeConfig(process.env, process.stdout.isTTY === true);
  if (!config.ok) {
    console.error(`runtree: bad configuration: ${config.error}`);
    process.exit(1);
  }
  redactor = new SecretRedactor(config.value);
  // Off: the SDK is not even loaded, and the spans the code makes are the API's no-ops.
  if (config.value.tracing) (await import('./tracing/start-tracing.js')).startTracing(process.env);
  const logger = createRootLogger(config.value.log, redactor);
  const app = await createRuntreeApp(config.value, { logger });
  await app.init();
  // Serve nothing before the read models have caught up and start-up recovery is done.
  await app.get(Orchestrator).ensureReady();
  await app.startAllMicroservices();
  await app.listen(config.value.httpPort, config.value.httpHost);
  const { port } = app.getHttpServer().address() as { port: number };
  // Whoever starts the process reads the real port from the listening line (RUNTREE_HTTP_PORT=0 picks a free one):
  // logged at info whatever the level, unless the level is silent.
  const announce = logger.child({ context: 'Runtree' }, { level: logger.level === 'silent' ? 'silent' : 'info' });
  announce.info(`Journal in ${describeStore(config.value)}; API docs at http://127.0.0.1:${port}/docs`);
  announce.info(`Runtree listening on http://127.0.0.1:${port}`);
}

bootstrap().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`runtree: could not start: ${(redactor ?? new SecretRedactor({})).redact(reason)}`);
  process.exit(1);
});
