import type * as t from 'io-ts';
import fc from 'fast-check';
import { defaultValidationLimits, fieldPath, type ErrorCode } from '@runtree/orchestration';
import { ObjectType } from '../../../libs/orchestration/src/validation/object-codec.js';
import { encodeCursor } from '../../../libs/orchestration/src/validation/list-codecs.js';
import { inputCodecs } from '../../../libs/orchestration/src/validation/option-codecs.js';
import {
  hostileText,
  invalidCursorText,
  invalidIdString,
  invalidInclude,
  invalidLabel,
  invalidPageSize,
  invalidTimeoutNumber,
  invalidTimestampText,
  nested,
  NestedJson,
  nonObjectJson,
  nonStringJson,
  textOfBytes,
  tooDeepLevels,
  unknownKey,
  validId,
} from './hostile-values.js';

// Every field of every input, read from the codecs themselves: a field added to a codec is fuzzed
// without touching this suite, and a codec of a kind this file does not know fails the suite.

export type FieldKind =
  | 'id'
  | 'substrateId'
  | 'label'
  | 'metadata'
  | 'payload'
  | 'sessionTarget'
  | 'threadTarget'
  | 'boolean'
  | 'parent'
  | 'timeout'
  | 'runStatus'
  | 'timestamp'
  | 'pageSize'
  | 'cursor'
  | 'include';

const kindOfCodecName: { readonly [codecName: string]: FieldKind } = {
  'an id': 'id',
  'a session or thread id': 'substrateId',
  'a label': 'label',
  metadata: 'metadata',
  'a JSON value': 'payload',
  'session target': 'sessionTarget',
  'thread target': 'threadTarget',
  'a boolean': 'boolean',
  'a run status': 'runStatus',
  'an ISO-8601 timestamp': 'timestamp',
  'a page size': 'pageSize',
  'a cursor': 'cursor',
  'payloads to include': 'include',
  parent: 'parent',
  timeoutMs: 'timeout',
};

export interface InputField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
}

/** The fields of an options object and the keys it refuses by name. */
export interface InputShape {
  readonly fields: readonly InputField[];
  readonly refusedKeys: readonly string[];
}

export type OptionsName = 'command' | 'startRun' | 'spawn' | 'delegate' | 'collect' | 'openSession' | 'startThread' | 'startStep' | 'listRuns';

function kindOf(name: string, codec: t.Decoder<unknown, unknown>): FieldKind {
  const kind = kindOfCodecName[codec.name];
  if (kind === undefined) throw new Error(`Field ${name}: no hostile values for codec "${codec.name}" (add its kind to test/fuzz/support/input-fields.ts)`);
  return kind;
}

/** The shape of the facade's options codec `name`, with `extra` arguments the route or pattern carries beside the options (`task`, `output`...). */
export function inputShape(name: OptionsName, extra: readonly InputField[] = []): InputShape {
  return shapeOfObjectCodec(inputCodecs(defaultValidationLimits)[name], extra);
}

/** The shape of any object codec (an options codec, a bus request), with `extra` fields first. */
export function shapeOfObjectCodec(codec: unknown, extra: readonly InputField[] = []): InputShape {
  if (!(codec instanceof ObjectType)) throw new Error(`${String(codec)} is not an object codec`);
  const { required, optional } = codec.shape;
  const fields = [
    ...Object.entries(required).map(([key, field]) => ({ name: key, kind: kindOf(key, field), required: true })),
    ...Object.entries(optional).map(([key, field]) => ({ name: key, kind: kindOf(key, field), required: false })),
  ];
  return { fields: [...extra, ...fields], refusedKeys: Object.keys(codec.rules.refusedKeys ?? {}) };
}

/** One thing wrong with an otherwise valid input, and the error it must draw. */
export interface Defect {
  readonly label: string;
  apply(input: { readonly [key: string]: unknown }): { readonly [key: string]: unknown };
  readonly code: ErrorCode;
  /** The field the error must name: exactly, or as the start of its path (`session.open.metadata`). */
  readonly field: string;
  /** The value may make an HTTP body exceed the body limit, which is refused first (413 naming `body`). */
  readonly oversized?: boolean;
}

const codeOfKind: { readonly [K in FieldKind]: ErrorCode } = {
  id: 'invalid_option',
  substrateId: 'invalid_option',
  label: 'invalid_option',
  metadata: 'invalid_option',
  payload: 'invalid_option',
  boolean: 'invalid_option',
  sessionTarget: 'invalid_session_target',
  threadTarget: 'invalid_thread_target',
  parent: 'invalid_parent',
  timeout: 'invalid_timeout',
  runStatus: 'invalid_option',
  timestamp: 'invalid_option',
  pageSize: 'invalid_option',
  cursor: 'invalid_option',
  include: 'invalid_option',
};

const nonBooleanJson = fc.oneof(nonStringJson.filter((value) => typeof value !== 'boolean'), fc.constantFrom('true', 'false', '', 'yes'));
const anyJson = fc.jsonValue({ maxDepth: 2 });

export interface BadValue {
  readonly value: unknown;
  readonly oversized?: boolean;
}

const plain = (value: unknown): BadValue => ({ value });

const badMetadata: fc.Arbitrary<BadValue> = fc.oneof(
  { arbitrary: nonObjectJson.map(plain), weight: 4 },
  { arbitrary: tooDeepLevels.map((levels) => plain({ m: nested(levels) })), weight: 2 },
  { arbitrary: textOfBytes(defaultValidationLimits.maxMetadataBytes + 1).map((text) => plain({ p: text })), weight: 1 },
);

const badSessionTarget: fc.Arbitrary<unknown> = fc.oneof(
  nonStringJson.filter((value) => !isObjectWith(value, 'open')),
  invalidIdString,
  nonObjectJson.map((open) => ({ open })),
  nonObjectJson.map((metadata) => ({ open: { metadata } })),
  nonBooleanJson.map((stopOnCancel) => ({ open: {}, stopOnCancel })),
  unknownKey(['open', 'stopOnCancel']).map((key) => ({ open: {}, [key]: 1 })),
  unknownKey(['metadata']).map((key) => ({ open: { [key]: 1 } })),
);

const badThreadTarget: fc.Arbitrary<unknown> = fc.oneof(
  nonStringJson.filter((value) => !isObjectWith(value, 'threadId') && !isObjectWith(value, 'start')),
  invalidIdString,
  fc.oneof(invalidIdString, nonStringJson).map((threadId) => ({ threadId })),
  validId.chain((threadId) => unknownKey(['threadId']).map((key) => ({ threadId, [key]: 1 }))),
  nonObjectJson.map((start) => ({ start })),
  fc.oneof(invalidLabel, nonStringJson).map((name) => ({ start: { name } })),
  nonObjectJson.map((metadata) => ({ start: { metadata } })),
);

function isObjectWith(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key);
}

const runStatuses = ['running', 'completed', 'failed', 'cancelled'];

/** Milliseconds whose ISO text has a four-digit year, whatever offset is added to it. */
const timestampMs = fc.integer({ min: Date.parse('0001-01-02'), max: Date.parse('9999-12-30') });

/** A timestamp as a caller may write it: in UTC, a date alone, or with an offset. */
const validTimestamp: fc.Arbitrary<string> = fc.oneof(
  timestampMs.map((ms) => new Date(ms).toISOString()),
  timestampMs.map((ms) => new Date(ms).toISOString().slice(0, 10)),
  timestampMs.map((ms) => `${new Date(ms + 330 * 60_000).toISOString().slice(0, 16)}+05:30`),
);

/** Values a field of `kind` must refuse. */
export function badValueOf(kind: FieldKind): fc.Arbitrary<BadValue> {
  switch (kind) {
    case 'id':
      return fc.oneof(nonStringJson, invalidIdString).map(plain);
    case 'substrateId':
      return fc.oneof(nonStringJson, invalidIdString, fc.constantFrom('inherit', 'none')).map(plain);
    case 'label':
      return fc.oneof(nonStringJson, invalidLabel).map(plain);
    case 'metadata':
      return badMetadata;
    case 'payload':
      // Every JSON value is a payload: only its depth and size can be wrong.
      return fc.oneof(
        { arbitrary: tooDeepLevels.map((levels) => plain(nested(levels))), weight: 6 },
        { arbitrary: textOfBytes(defaultValidationLimits.maxPayloadBytes).map((value) => ({ value, oversized: true })), weight: 1 },
      );
    case 'boolean':
      return nonBooleanJson.map(plain);
    case 'sessionTarget':
      return badSessionTarget.map(plain);
    case 'threadTarget':
      return badThreadTarget.map(plain);
    case 'parent':
      return fc.oneof(nonStringJson.filter((value) => !isObjectWith(value, 'runId')), invalidIdString, fc.oneof(invalidIdString, nonStringJson).map((runId) => ({ runId }))).map(plain);
    case 'timeout':
      return invalidTimeoutNumber.map(plain);
    case 'runStatus':
      return fc.oneof(nonStringJson, fc.constantFrom('', 'done', 'RUNNING', 'running ', 'canceled'), hostileText({ maxLength: 12 }).filter((text) => !runStatuses.includes(text))).map(plain);
    case 'timestamp':
      return fc.oneof(nonStringJson, invalidTimestampText).map(plain);
    case 'pageSize':
      return invalidPageSize.map(plain);
    case 'cursor':
      return fc.oneof(nonStringJson, invalidCursorText).map(plain);
    case 'include':
      return invalidInclude.map(plain);
  }
}

/** Valid values of a field, hostile where any text is allowed (labels, payloads, metadata keys). */
export function goodValueOf(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'id':
      return validId;
    case 'substrateId':
      return validId.filter((id) => id !== 'inherit' && id !== 'none');
    case 'label':
      return hostileText({ minLength: 1, maxLength: 30 });
    case 'metadata':
      return fc.dictionary(hostileText({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), { maxKeys: 4 });
    case 'payload':
      return fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    case 'boolean':
      return fc.boolean();
    case 'sessionTarget':
    case 'threadTarget':
      return fc.constantFrom('inherit', 'none');
    case 'parent':
      return fc.oneof(validId, validId.map((runId) => ({ runId, status: 'running' })));
    case 'timeout':
      return fc.constantFrom(0, 1);
    case 'runStatus':
      return fc.constantFrom(...runStatuses);
    case 'timestamp':
      return validTimestamp;
    case 'pageSize':
      return fc.integer({ min: 1, max: defaultValidationLimits.maxListLimit });
    case 'cursor':
      return fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(encodeCursor);
    case 'include':
      return fc.subarray(['metadata', 'input', 'output']);
  }
}

/** A valid input of the shape: the required fields and any optional ones, with valid values. */
export function validInput(shape: InputShape, omit: readonly string[] = []): fc.Arbitrary<{ [key: string]: unknown }> {
  const fields = shape.fields.filter((field) => !omit.includes(field.name));
  const model = Object.fromEntries(fields.map((field) => [field.name, goodValueOf(field.kind)]));
  return fc.record(model, { requiredKeys: fields.filter((field) => field.required).map((field) => field.name) }) as fc.Arbitrary<{ [key: string]: unknown }>;
}

function setField(name: string, value: unknown) {
  return (input: { readonly [key: string]: unknown }) => defineField({ ...input }, name, value);
}

/** Defines the key as an own data property, so `__proto__` stays a key and never a prototype. */
function defineField(input: { [key: string]: unknown }, name: string, value: unknown): { [key: string]: unknown } {
  Object.defineProperty(input, name, { value, enumerable: true, writable: true, configurable: true });
  return input;
}

/** One defect in an input of `shape`: a field of a wrong type or value, a required field left out, an unknown or refused key. */
export function defectOf(shape: InputShape): fc.Arbitrary<Defect> {
  const known = shape.fields.map((field) => field.name);
  const wrongValues = shape.fields.map((field) =>
    badValueOf(field.kind).map(({ value, oversized }): Defect => ({
      label: `${field.name}: ${preview(value)}`,
      apply: setField(field.name, value),
      code: codeOfKind[field.kind],
      field: field.name,
      oversized,
    })),
  );
  const missing = shape.fields
    .filter((field) => field.required)
    .map((field): Defect => ({
      label: `${field.name} left out`,
      apply: ({ [field.name]: _left, ...rest }) => rest,
      code: 'invalid_option',
      field: field.name,
    }));
  const unknown = fc.tuple(unknownKey([...known, ...shape.refusedKeys]), anyJson).map(([key, value]): Defect => ({
    label: `unknown key ${JSON.stringify(key)}`,
    apply: setField(key, value),
    code: 'unsupported_option',
    field: fieldPath('', key),
  }));
  const refused = shape.refusedKeys.map((key): Defect => ({ label: `refused key ${key}`, apply: setField(key, 'x'), code: 'unsupported_option', field: key }));
  return fc.oneof(...wrongValues, unknown, ...[...missing, ...refused].map((defect) => fc.constant(defect)));
}

/** A short, printable description of a value for failure reports (values can be megabytes). */
export function preview(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (item instanceof NestedJson ? `<${item.levels} levels deep>` : item)) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}... (${text.length} chars)` : text;
}
