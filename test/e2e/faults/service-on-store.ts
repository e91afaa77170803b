import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { EventStore } from '@runtree/event-store';
import { EVENT_STORE } from '@runtree/orchestration';
import { AppModule } from '../../../apps/runtree/src/app.module.js';
import type { RuntreeConfig } from '../../../apps/runtree/src/config.js';
import { JSON_BODY_LIMIT } from '../../../apps/runtree/src/http/command-body.js';

export interface ServiceOnStore {
  readonly http: ReturnType<typeof request>;
  /** Closes the service, and with it the store. */
  close(): Promise<void>;
}

const config: RuntreeConfig = { store: 'sqlite', sqlitePath: ':memory:', httpPort: 0, httpHost: '127.0.0.1', busPrefix: 'runtree' };

/**
 * The service's modules (HTTP API, health, metrics) on a store the test opened, so the test can
 * reach the store's own connection to inject faults. The store replaces the one the config names.
 */
export async function startServiceOnStore(store: EventStore): Promise<ServiceOnStore> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forConfig(config)] })
    .overrideProvider(EVENT_STORE)
    .useValue(store)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  await app.init();
  return { http: request(app.getHttpServer()), close: () => app.close() };
}
