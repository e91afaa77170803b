import { fieldPath } from '@runtree/orchestration';
import type { JsonBody } from './command-body.js';
import { inputRejection } from './input-rejection.js';

export type QueryParams = { readonly [key: string]: unknown };

/** Unknown query keys are refused like unknown options, so a typo never goes unnoticed. */
export function allowOnlyQueryKeys(query: QueryParams, allowed: readonly string[]): void {
  const unknown = Object.keys(query).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    const reason = allowed.length === 0 ? 'is not supported: this route takes no query parameters' : `is not supported (supported: ${allowed.join(', ')})`;
    throw inputRejection('unsupported_option', fieldPath('', unknown), reason);
  }
}

/** `'true'` or `'false'`; absent stays `undefined` so the facade's default applies. */
export function booleanQueryParam(query: QueryParams, key: string): boolean | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw inputRejection('invalid_option', key, "must be 'true' or 'false'");
}

/** Digits only; the facade then checks the range. */
export function timeoutQueryParam(query: QueryParams, key: string): number {
  const value = query[key];
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw inputRejection('invalid_timeout', key, value === undefined ? 'is required (milliseconds)' : 'must be a non-negative integer of milliseconds');
}

/** Only the given boolean keys, each parsed; the result holds the keys that were present. */
export function booleanQuery<K extends string>(query: QueryParams, keys: readonly K[]): Partial<Record<K, boolean>> {
  allowOnlyQueryKeys(query, keys);
  const parsed: Partial<Record<K, boolean>> = {};
  for (const key of keys) {
    const value = booleanQueryParam(query, key);
    if (value !== undefined) parsed[key] = value;
  }
  return parsed;
}

/** For routes that take no input: any query or body key is refused, so `{ "dryRun": true }` is never taken for a go-ahead. */
export function refuseAnyInput(query: QueryParams, body: JsonBody): void {
  allowOnlyQueryKeys(query, []);
  const key = Object.keys(body)[0];
  if (key !== undefined) throw inputRejection('unsupported_option', fieldPath('', key), 'is not supported: this route takes no body');
}
