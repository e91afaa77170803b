import * as t from 'io-ts';
import type { ListInclude } from '../api/options.js';
import { codecFromValidate } from './coded-codec.js';
import { describeType } from './object-codec.js';
import type { ValidationLimits } from './validation-limits.js';

export const runStatusCodec = codecFromValidate<'running' | 'completed' | 'failed' | 'cancelled'>('a run status', (u, c) =>
  u === 'running' || u === 'completed' || u === 'failed' || u === 'cancelled' ? t.success(u) : t.failure(u, c, 'must be one of running, completed, failed, cancelled'),
  { type: 'string', enum: ['running', 'completed', 'failed', 'cancelled'] },
);

/** A date (`2026-12-01`) or a date-time with `Z` or an offset; the result is normalised to UTC (`toISOString()`). */
const isoTimestamp = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Date.parse rolls a day past the month's end over (`2026-02-30` is March 2nd): such a day is no date. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which takes years 0-99 for 1900-1999
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const timestampCodec = codecFromValidate<string>('an ISO-8601 timestamp', (u, c) => {
  if (typeof u !== 'string') return t.failure(u, c, `must be an ISO-8601 timestamp string, not ${describeType(u)}`);
  const parts = isoTimestamp.exec(u);
  const time = parts !== null && isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3])) ? Date.parse(u) : Number.NaN;
  return Number.isNaN(time) ? t.failure(u, c, 'must be an ISO-8601 timestamp such as 2026-12-01T10:00:00Z') : t.success(new Date(time).toISOString());
}, { type: 'string', pattern: isoTimestamp.source, description: 'A date (2026-12-01) or a date-time with Z or an offset' });

export function listLimitCodec(limits: ValidationLimits): t.Type<number, number, unknown> {
  return codecFromValidate('a page size', (u, c) =>
    typeof u === 'number' && Number.isSafeInteger(u) && u >= 1 && u <= limits.maxListLimit
      ? t.success(u)
      : t.failure(u, c, `must be an integer from 1 to ${limits.maxListLimit} (maxListLimit)`),
    { type: 'integer', minimum: 1, maximum: limits.maxListLimit },
  );
}

const includes: readonly ListInclude[] = ['metadata', 'input', 'output'];

export const includeCodec = codecFromValidate<ListInclude[]>('payloads to include', (u, c) => {
  if (!Array.isArray(u)) return t.failure(u, c, `must be a list of ${includes.join(', ')}, not ${describeType(u)}`);
  const unknown = u.find((item) => !includes.includes(item as ListInclude));
  if (unknown !== undefined) return t.failure(u, c, `may only name ${includes.join(', ')} (got ${JSON.stringify(unknown)})`);
  return t.success([...new Set(u as ListInclude[])]);
}, { type: 'array', items: { type: 'string', enum: [...includes] } });

/** 2: listing keys are RunStarted log positions (1 was the read store's own row order, which a rebuild could renumber). */
const CURSOR_VERSION = 2;

/** A page's cursor: the listing key of its last run, versioned and base64url-encoded. */
export function encodeCursor(listingKey: number): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, k: listingKey })).toString('base64url');
}

/** The listing key inside a cursor, or undefined when the text is not a cursor this build made. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { v, k } = parsed as { v?: unknown; k?: unknown };
    return v === CURSOR_VERSION && typeof k === 'number' && Number.isSafeInteger(k) && k > 0 ? k : undefined;
  } catch {
    return undefined;
  }
}

export const cursorCodec = codecFromValidate<number>('a cursor', (u, c) => {
  if (typeof u !== 'string') return t.failure(u, c, `must be the nextCursor of a previous page, not ${describeType(u)}`);
  const key = decodeCursor(u);
  return key === undefined ? t.failure(u, c, 'is not a cursor of a previous page (pass nextCursor as it was given)') : t.success(key);
}, { type: 'string', description: 'The nextCursor of a previous page' });
