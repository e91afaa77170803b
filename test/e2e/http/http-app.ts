import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Server } from 'node:net';
import request from 'supertest';
import type { Run } from '@runtree/orchestration';
import { createRuntreeApp, type CreateAppOptions } from '../../../apps/runtree/src/create-app.js';
import { loadRuntreeConfig, type RuntreeConfig } from '../../../apps/runtree/src/config.js';
import { OPENAPI_PATH } from '../../../apps/runtree/src/protocol/document-paths.js';
import { OpenApiResponses, type ReceivedResponse } from '../../support/openapi-responses.js';

/** The admin token of tests that call admin routes (`env: { RUNTREE_ADMIN_TOKEN: TEST_ADMIN_TOKEN }`). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The service's configuration on an in-memory store, with `env` as the environment over it. */
export function inMemoryConfig(env: NodeJS.ProcessEnv = {}): RuntreeConfig {
  const loaded = loadRuntreeConfig({ RUNTREE_SQLITE_PATH: ':memory:', RUNTREE_HTTP_PORT: '0', ...env });
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
}

export interface StartHttpAppOptions extends CreateAppOptions {
  /** Environment variables the app is configured with (limits, tokens). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface HttpApp {
  readonly app: INestApplication;
  readonly http: ReturnType<typeof request>;
  /** Listens on a random port (for clients supertest cannot play, such as a long-lived event stream). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

type Agent = ReturnType<typeof request>;
type Thenable = { then(onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown): Promise<unknown> };

/**
 * Requests whose every answer is checked against the OpenAPI document the service serves: an answer
 * the document does not describe (status, media type, body) fails the request that got it.
 */
function validatingAgent(agent: Agent, responses: OpenApiResponses): Agent {
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string) => {
        const test = (value as (url: string) => Thenable).call(target, url);
        const then = test.then.bind(test);
        test.then = (onFulfilled, onRejected) =>
          then((response) => {
            const violations = responses.violations(property, url, response as ReceivedResponse);
            if (violations.length > 0) throw new Error(`The answer breaks the OpenAPI document:\n${violations.join('\n')}`);
            return response;
          }).then(onFulfilled, onRejected);
        return test;
      };
    },
  });
}

/** The whole service on an in-memory store, driven through its HTTP server. */
export async function startHttpApp({ env, ...options }: StartHttpAppOptions = {}): Promise<HttpApp> {
  const app = await createRuntreeApp(inMemoryConfig(env), { logger: false, ...options });
  await app.init();
  const server = app.getHttpServer() as Server;
  const document = (await request(server).get(OPENAPI_PATH).expect(200)).body as Record<string, unknown>;
  return {
    app,
    http: validatingAgent(request(server), new OpenApiResponses(document)),
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
