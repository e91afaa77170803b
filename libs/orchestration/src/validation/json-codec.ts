import * as t from 'io-ts';
import { Buffer } from 'node:buffer';
import type { JsonValue } from '@runtree/event-store';
import type { JsonObject } from '../api/model.js';
import { codecFromValidate } from './coded-codec.js';
import { keyStep } from './field-path.js';
import { describeType } from './object-codec.js';
import type { ValidationLimits } from './validation-limits.js';

/** Why a value is not JSON, and where inside it (`''` for the value itself). */
class NotJson {
  constructor(
    readonly at: string,
    readonly problem: string,
  ) {}
}

/**
 * Copies a value that must be JSON, failing on anything `JSON.stringify` would drop or
 * change: functions, symbols, `undefined` (as a value or an array hole), NaN and
 * infinities, bigints, cycles, and objects that are not plain (Date, Map, class instances).
 * The copy is built with data properties only, so keys such as `__proto__` and
 * `constructor` stay ordinary data and never reach a prototype.
 */
function copyJson(value: unknown, at: string, depth: number, ancestors: Set<object>, maxDepth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotJson(at, `holds ${value}, which JSON cannot represent`);
    return value;
  }
  if (typeof value !== 'object') throw new NotJson(at, `holds ${describeType(value)}, which is not a JSON value`);
  if (depth > maxDepth) throw new NotJson(at, `nests deeper than maxJsonDepth (${maxDepth})`);
  if (ancestors.has(value)) throw new NotJson(at, 'refers to itself (a cycle)');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return Array.from({ length: value.length }, (_, index) => {
        if (!Object.hasOwn(value, index)) throw new NotJson(`${at}[${index}]`, 'is a hole (undefined), which is not a JSON value');
        return copyJson(value[index], `${at}[${index}]`, depth + 1, ancestors, maxDepth);
      });
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new NotJson(at, `holds a ${value.constructor?.name ?? 'non-plain object'}, not a plain JSON object`);
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, copyJson(item, `${at}${keyStep(key)}`, depth + 1, ancestors, maxDepth)]),
    );
  } finally {
    ancestors.delete(value);
  }
}

interface JsonRules {
  readonly maxBytes: number;
  readonly limitName: 'maxMetadataBytes' | 'maxPayloadBytes';
  readonly maxDepth: number;
  readonly objectOnly: boolean;
}

function jsonCodec<A extends JsonValue>(name: string, rules: JsonRules): t.Type<A, A, unknown> {
  return codecFromValidate<A>(name, (u, c) => {
    if (rules.objectOnly && (typeof u !== 'object' || u === null || Array.isArray(u))) {
      return t.failure(u, c, `must be a JSON object, not ${describeType(u)}`);
    }
    let copy: JsonValue;
    try {
      copy = copyJson(u, '', 1, new Set(), rules.maxDepth);
    } catch (error) {
      if (!(error instanceof NotJson)) throw error;
      return t.failure(u, c, error.at === '' ? error.problem : `at ${error.at.replace(/^\./, '')} ${error.problem}`);
    }
    const bytes = Buffer.byteLength(JSON.stringify(copy), 'utf8');
    if (bytes > rules.maxBytes) return t.failure(u, c, `is ${bytes} bytes as JSON, over ${rules.limitName} (${rules.maxBytes})`);
    return t.success(copy as A);
  }, {
    ...(rules.objectOnly ? { type: 'object' } : {}),
    description: `${rules.objectOnly ? 'A JSON object' : 'Any JSON value'} of at most ${rules.maxBytes} bytes (${rules.limitName})`,
  });
}

/** `metadata`: a plain JSON object within `maxMetadataBytes`. */
export function metadataCodec(limits: ValidationLimits): t.Type<JsonObject, JsonObject, unknown> {
  return jsonCodec<JsonObject>('metadata', {
    maxBytes: limits.maxMetadataBytes,
    limitName: 'maxMetadataBytes',
    maxDepth: limits.maxJsonDepth,
    objectOnly: true,
  });
}

/** `input`, `output`, `error`, `task`, cancel reasons: any JSON value within `maxPayloadBytes`. */
export function payloadCodec(limits: ValidationLimits): t.Type<JsonValue, JsonValue, unknown> {
  return jsonCodec<JsonValue>('a JSON value', {
    maxBytes: limits.maxPayloadBytes,
    limitName: 'maxPayloadBytes',
    maxDepth: limits.maxJsonDepth,
    objectOnly: false,
  });
}
