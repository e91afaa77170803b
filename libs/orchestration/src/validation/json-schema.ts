import * as t from 'io-ts';
import { CodedType, OneOfType } from './coded-codec.js';
import { ObjectType } from './object-codec.js';
import { describedSchemaOf, descriptionOf, type JsonSchema } from './schema-annotation.js';

export type { JsonSchema } from './schema-annotation.js';

export interface SchemaNaming {
  /** The component name of a codec that is written once and referred to (`Run` inside `Child`). */
  nameOf(codec: t.Decoder<unknown, unknown>): string | undefined;
  /** Where named components live: `#/components/schemas/` (OpenAPI, AsyncAPI). */
  readonly refPrefix: string;
}

type Codec = t.Decoder<unknown, unknown>;

/**
 * The JSON Schema of an io-ts codec: the one converter both the OpenAPI and the AsyncAPI documents
 * use, so a shape is written once, as its codec. Objects refuse unknown properties as the codecs do.
 * A codec it cannot read throws: a shape the documents cannot state is a bug, not a silent `{}`.
 */
export function jsonSchemaOf(codec: Codec, naming?: SchemaNaming): JsonSchema {
  return convert(codec, naming, true);
}

function convert(codec: Codec, naming: SchemaNaming | undefined, isRoot: boolean): JsonSchema {
  const name = isRoot ? undefined : naming?.nameOf(codec);
  if (name !== undefined) return { $ref: `${naming!.refPrefix}${name}` };
  const inner = (child: Codec) => convert(child, naming, false);
  const note = descriptionOf(codec);
  if (note !== undefined) return { ...inner(note.inner), description: note.description };
  const described = describedSchemaOf(codec);
  if (described !== undefined) return described;
  if (codec instanceof CodedType) return inner(codec.inner);
  if (codec instanceof OneOfType) return { oneOf: codec.branches.map((branch) => inner(branch.codec)) };
  if (codec instanceof ObjectType) {
    return objectSchema(codec.shape.required, codec.shape.optional, inner, codec.rules.unknownKeys !== 'ignore');
  }
  return builtIn(codec as t.Mixed, inner);
}

function objectSchema(required: t.Props, optional: t.Props, inner: (child: Codec) => JsonSchema, closed: boolean): JsonSchema {
  const properties = Object.fromEntries([...Object.entries(required), ...Object.entries(optional)].map(([key, codec]) => [key, inner(codec)]));
  const requiredKeys = Object.keys(required);
  // OAS 3.0 refused `required: []`; 3.1 allows it, but leaving it out says the same more plainly.
  return { type: 'object', properties, ...(requiredKeys.length > 0 ? { required: requiredKeys } : {}), ...(closed ? { additionalProperties: false } : {}) };
}

/** The parts of an object codec built from `t.type`, `t.partial` and their intersections, or undefined. */
function objectParts(codec: t.Mixed): { required: t.Props; optional: t.Props } | undefined {
  if (codec instanceof t.InterfaceType) return { required: codec.props as t.Props, optional: {} };
  if (codec instanceof t.PartialType) return { required: {}, optional: codec.props as t.Props };
  if (codec instanceof t.ReadonlyType || codec instanceof t.ExactType) return objectParts(codec.type as t.Mixed);
  if (codec instanceof t.IntersectionType) {
    const parts = (codec.types as t.Mixed[]).map(objectParts);
    if (parts.some((part) => part === undefined)) return undefined;
    return parts.reduce<{ required: t.Props; optional: t.Props }>(
      (merged, part) => ({ required: { ...merged.required, ...part!.required }, optional: { ...merged.optional, ...part!.optional } }),
      { required: {}, optional: {} },
    );
  }
  return undefined;
}

function builtIn(codec: t.Mixed, inner: (child: Codec) => JsonSchema): JsonSchema {
  const parts = objectParts(codec);
  if (parts !== undefined) return objectSchema(parts.required, parts.optional, inner, true);
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  if (codec instanceof t.NullType) return { type: 'null' };
  if (codec instanceof t.UnknownType) return {};
  if (codec instanceof t.LiteralType) return { const: codec.value };
  if (codec instanceof t.KeyofType) return { type: 'string', enum: Object.keys(codec.keys as object) };
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) return { type: 'array', items: inner(codec.type as t.Mixed) };
  if (codec instanceof t.ReadonlyType || codec instanceof t.ExactType) return inner(codec.type as t.Mixed);
  if (codec instanceof t.UnionType) {
    const members = (codec.types as t.Mixed[]).map(inner);
    const constants = members.map((member) => member.const);
    if (constants.every((value) => typeof value === 'string')) return { type: 'string', enum: constants };
    return { anyOf: members };
  }
  throw new Error(`jsonSchemaOf: no JSON Schema for the codec ${codec.name}; describe it with describedAs`);
}
