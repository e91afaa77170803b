import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ValidationLimits } from '@runtree/orchestration';
import { apiShapes } from '../protocol/api-shapes.js';
import { componentSchemas } from '../protocol/component-schemas.js';
import { ASYNCAPI_PATH, OPENAPI_PATH, OPENAPI_UI_PATH } from '../protocol/document-paths.js';
import { ADMIN_TOKEN_SCHEME, API_TOKEN_SCHEME } from './api-route.decorator.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The OpenAPI 3.1 document of the HTTP API: routes from their decorators, every schema from its codec. */
export function createOpenApiDocument(app: INestApplication, limits: ValidationLimits): OpenAPIObject {
  const info = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Runtree')
    .setDescription(
      'Event-sourced orchestration of agent runs. Errors are `{ error: { code, message, details } }`. ' +
        'An `Idempotency-Key` header on a command becomes its `commandId`: a retry appends nothing and answers the same. ' +
        'With RUNTREE_API_TOKEN set, every route but /health and the documents needs `Authorization: Bearer <token>` (401 `unauthorized` otherwise). ' +
        'Admin routes are off (404) unless RUNTREE_ADMIN_TOKEN is set, and then need it as the bearer token. ' +
        'The message bus is described by the AsyncAPI document at ' + ASYNCAPI_PATH + '.',
    )
    .setVersion('0.1.0')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'RUNTREE_API_TOKEN, when set (RUNTREE_ADMIN_TOKEN opens these routes too)' }, API_TOKEN_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'RUNTREE_ADMIN_TOKEN' }, ADMIN_TOKEN_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, info);
  const openRoutes = markOpenRoutes(document);
  return {
    ...openRoutes,
    paths: { ...openRoutes.paths, ...documentRoutes },
    components: { ...openRoutes.components, schemas: componentSchemas(apiShapes(limits)) },
  } as OpenAPIObject;
}

function documentRoute(summary: string, mediaType: string, schema: object) {
  return { get: { tags: ['documents'], summary, security: [], responses: { 200: { description: 'The document', content: { [mediaType]: { schema } } } } } };
}

/** The documents themselves: served outside Nest's router (so no guard), open like /health. */
const documentRoutes = {
  [OPENAPI_UI_PATH]: documentRoute('This API in Swagger UI', 'text/html', { type: 'string' }),
  [OPENAPI_PATH]: documentRoute('This OpenAPI 3.1 document', 'application/json', { type: 'object' }),
  [ASYNCAPI_PATH]: documentRoute('The AsyncAPI 3.0 document of the message bus', 'application/json', { type: 'object' }),
};

/** A route its decorators give no security (GET /health) is open: said with `security: []`, not left to a default. */
function markOpenRoutes(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => [
      path,
      Object.fromEntries(Object.entries(item).map(([method, operation]) => [method, (HTTP_METHODS as readonly string[]).includes(method) && !('security' in operation) ? { ...operation, security: [] } : operation])),
    ]),
  );
  return { ...document, paths } as OpenAPIObject;
}


/** Swagger UI at /docs, the OpenAPI document at /docs-json, the bus's AsyncAPI document at /docs/asyncapi.json; all open. */
export function serveDocuments(app: INestApplication, limits: ValidationLimits, asyncApi: object): void {
  app.getHttpAdapter().get(ASYNCAPI_PATH, (_request: unknown, response: { json(body: unknown): void }) => response.json(asyncApi));
  SwaggerModule.setup(OPENAPI_UI_PATH.slice(1), app, createOpenApiDocument(app, limits));
}
