import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Server } from 'node:net';
import request from 'supertest';
import type { Run } from '@runtree/orchestration';
import { createRuntreeApp, type CreateAppOptions } from '../../../apps/runtree/src/create-app.js';
import type { RuntreeConfig } from '../../../apps/runtree/src/config.js';

const inMemory: RuntreeConfig = { store: 'sqlite', sqlitePath: ':memory:', httpPort: 0, httpHost: '127.0.0.1', busPrefix: 'runtree' };

export interface HttpApp {
  readonly app: INestApplication;
  readonly http: ReturnType<typeof request>;
  /** Listens on a random port (for clients supertest cannot play, such as a long-lived event stream). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The whole service, on an in-memory store unless `config` says otherwise, driven through its HTTP server. */
export async function startHttpApp(options: Omit<CreateAppOptions, 'logger'> = {}, config: Partial<RuntreeConfig> = {}): Promise<HttpApp> {
  const app = await createRuntreeApp({ ...inMemory, ...config }, { ...options, logger: false });
  await app.init();
  const server = app.getHttpServer() as Server;
  return {
    app,
    http: request(server),
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => app.close(),
  };
}

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** The error of an error response's envelope. */
export function errorOf(response: { body: unknown }): ErrorBody {
  return (response.body as { error: ErrorBody }).error;
}

export async function startRun(h: HttpApp, body: object = {}): Promise<Run> {
  const response = await h.http.post('/runs').send(body).expect(201);
  return response.body as Run;
}
