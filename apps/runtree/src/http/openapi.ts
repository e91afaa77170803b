import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { apiSchemas } from './openapi-schemas.js';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('Runtree')
    .setDescription(
      'Event-sourced orchestration of agent runs. Errors are `{ error: { code, message, details } }`. ' +
        'An `Idempotency-Key` header on a command becomes its `commandId`: a retry appends nothing and answers the same. ' +
        'With RUNTREE_API_TOKEN set, every route but /health needs `Authorization: Bearer <token>` (401 `unauthorized` otherwise). ' +
        'Admin routes are off (404) unless RUNTREE_ADMIN_TOKEN is set, and then need it as the bearer token.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'RUNTREE_API_TOKEN (API routes, when set) or RUNTREE_ADMIN_TOKEN (admin routes; it opens the API routes too)' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, info);
  return { ...document, components: { ...document.components, schemas: { ...document.components?.schemas, ...apiSchemas } } };
}

/** Swagger UI at /docs, the document at /docs-json. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app));
}
