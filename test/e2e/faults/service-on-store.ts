import request from 'supertest';
import type { EventStore } from '@runtree/event-store';
import { createRuntreeApp } from '../../../apps/runtree/src/create-app.js';
import { inMemoryConfig } from '../http/http-app.js';

export interface ServiceOnStore {
  readonly http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The whole service (HTTP API, health, metrics) on a store the test opened, so the test can reach
 * the store's own connection to inject faults. The test closes the store after the service.
 */
export async function startServiceOnStore(store: EventStore): Promise<ServiceOnStore> {
  const app = await createRuntreeApp(inMemoryConfig(), { logger: false, store });
  await app.init();
  return { http: request(app.getHttpServer()), close: () => app.close() };
}
