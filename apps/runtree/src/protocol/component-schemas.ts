import type * as t from 'io-ts';
import { jsonSchemaOf, type JsonSchema, type SchemaNaming } from '@runtree/orchestration';

/** Where both documents keep their named schemas. */
export const COMPONENT_SCHEMAS = '#/components/schemas/';

export function componentRef(name: string): JsonSchema {
  return { $ref: `${COMPONENT_SCHEMAS}${name}` };
}

/** A naming in which each of the named codecs is referred to by its name wherever it appears inside another. */
export function namingOf(named: { readonly [name: string]: t.Decoder<unknown, unknown> }): SchemaNaming {
  const names = new Map(Object.entries(named).map(([name, codec]) => [codec as t.Decoder<unknown, unknown>, name]));
  return { nameOf: (codec) => names.get(codec), refPrefix: COMPONENT_SCHEMAS };
}

/** `components.schemas` of a document: every named codec as JSON Schema, referring to the others by name. */
export function componentSchemas(named: { readonly [name: string]: t.Decoder<unknown, unknown> }): Record<string, JsonSchema> {
  const naming = namingOf(named);
  return Object.fromEntries(Object.entries(named).map(([name, codec]) => [name, jsonSchemaOf(codec, naming)]));
}
