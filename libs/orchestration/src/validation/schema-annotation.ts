import * as t from 'io-ts';

/** A JSON Schema, in keywords OpenAPI 3.1 (draft 2020-12) and AsyncAPI 3.0 (draft-07) read alike. */
export type JsonSchema = { readonly [keyword: string]: unknown };

// Codecs whose validation is a function (ids, labels, JSON payloads) say what they accept here,
// next to the validation, so the JSON Schema converter never guesses.
const schemas = new WeakMap<object, JsonSchema>();
const descriptions = new WeakMap<object, { readonly inner: t.Mixed; readonly description: string }>();

export function describedAs<C extends object>(codec: C, schema: JsonSchema): C {
  schemas.set(codec, schema);
  return codec;
}

export function describedSchemaOf(codec: object): JsonSchema | undefined {
  return schemas.get(codec);
}

/** The same codec with words for the documents (`Only with include=metadata`); it decodes as `codec` does. */
export function documented<C extends t.Mixed>(codec: C, description: string): C {
  const copy = new t.Type(codec.name, codec.is, codec.validate, codec.encode);
  descriptions.set(copy, { inner: codec, description });
  return copy as unknown as C;
}

export function descriptionOf(codec: object): { readonly inner: t.Mixed; readonly description: string } | undefined {
  return descriptions.get(codec);
}
