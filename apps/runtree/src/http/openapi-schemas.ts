import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { ApiShapeName } from '../protocol/api-shapes.js';
import { COMPONENT_SCHEMAS } from '../protocol/component-schemas.js';

// Routes refer to the shared shapes (protocol/api-shapes.ts) by name; the document's
// `components.schemas` holds them, derived from their codecs (see openapi.ts).

export function schemaRef(name: ApiShapeName): ReferenceObject {
  return { $ref: `${COMPONENT_SCHEMAS}${name}` };
}

export function arrayOf(name: ApiShapeName): SchemaObject {
  return { type: 'array', items: schemaRef(name) };
}
