import * as t from 'io-ts';
import type { JsonValue } from '@runtree/event-store';
import type { JsonObject } from '../api/model.js';
import { describedAs } from '../validation/schema-annotation.js';

function isJsonValue(u: unknown, depth = 0): u is JsonValue {
  if (depth > 256) return false;
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return true;
  if (typeof u === 'number') return Number.isFinite(u);
  if (Array.isArray(u)) return u.every((item) => isJsonValue(item, depth + 1));
  if (typeof u === 'object') {
    const proto = Object.getPrototypeOf(u);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(u as object).every((value) => isJsonValue(value, depth + 1));
  }
  return false;
}

export const JsonValueCodec = describedAs(
  new t.Type<JsonValue, JsonValue, unknown>(
    'JsonValue',
    (u): u is JsonValue => isJsonValue(u),
    (u, context) => (isJsonValue(u) ? t.success(u) : t.failure(u, context, 'not a JSON value')),
    t.identity,
  ),
  { description: 'Any JSON value' },
);

export const JsonObjectCodec = describedAs(
  new t.Type<JsonObject, JsonObject, unknown>(
    'JsonObject',
    (u): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u) && isJsonValue(u),
    (u, context) =>
      typeof u === 'object' && u !== null && !Array.isArray(u) && isJsonValue(u)
        ? t.success(u as JsonObject)
        : t.failure(u, context, 'not a JSON object'),
    t.identity,
  ),
  { type: 'object', description: 'A JSON object' },
);
