import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orchestrator, RunWatchers } from '@runtree/orchestration';
import { loadRuntreeConfig } from '../../apps/runtree/src/config.js';
import { createRuntreeApp } from '../../apps/runtree/src/create-app.js';
import { TEST_ADMIN_TOKEN } from '../e2e/process/runtree-client.js';

/** The whole service in this process, on a fresh SQLite file, listening on a free port of 127.0.0.1. */
export interface SoakService {
  readonly baseUrl: string;
  /** The await watchers (one store subscription per watched run) and their waiters, read in-process. */
  readonly watchers: RunWatchers;
  close(): Promise<void>;
}

export async function startSoakService(): Promise<SoakService> {
  const directory = await mkdtemp(join(tmpdir(), 'runtree-soak-'));
  // As the service reads its environment: the admin routes are guarded by the test token.
  const config = loadRuntreeConfig({ RUNTREE_SQLITE_PATH: join(directory, 'soak.sqlite'), RUNTREE_HTTP_PORT: '0', RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
  if (!config.ok) throw new Error(`soak service configuration: ${config.error}`);
  let app: INestApplication | undefined;
  try {
    app = await createRuntreeApp(config.value, { logger: ['error', 'warn'] });
    await app.init();
    await app.get(Orchestrator).ensureReady();
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const started = app;
  const { port } = (started.getHttpServer() as Server).address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    watchers: started.get(RunWatchers, { strict: false }),
    close: async () => {
      try {
        await started.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
