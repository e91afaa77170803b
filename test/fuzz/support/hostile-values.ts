import fc from 'fast-check';
import { defaultValidationLimits } from '@runtree/orchestration';

// Values no input field may hold, and text that is hostile yet valid where any text is.

const limits = defaultValidationLimits;

/** Characters that break stream names, URLs, terminals or naive string handling. */
export const hostileCharacters = [
  '/', '\\', ' ', '\t', '\n', '\r', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029',
  '\u202e', '\u200b', '\ufeff', '\ufffd', '\ud800', '\udfff', '$', '%', '#', '?', '&', '=', '"', "'", '`', '<', '>',
  '{', '}', '[', ']', '|', '*', ',', ';', '+', '!', '~', '^', 'é', 'ß', 'ı', 'ﬁ', '世', '🚀', '👩‍👩‍👧', '\u0301',
] as const;

const hostileCharacter = fc.constantFrom(...hostileCharacters);

/** Text mixing hostile characters (lone surrogates included) with any code point. */
export function hostileText(constraints: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: fc.oneof(hostileCharacter, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), ...constraints });
}

/** A well-formed id: what the id codec accepts. */
export const validId = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/);

/** An id at exactly the maximum length. */
export const idAtLimit = validId.map((id) => id.repeat(Math.ceil(limits.maxIdLength / id.length)).slice(0, limits.maxIdLength));

/** Strings no id may be: empty, too long (at the limit + 1 up to 100,000 characters), or holding a character outside the id alphabet. */
export const invalidIdString: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.integer({ min: limits.maxIdLength + 1, max: limits.maxIdLength + 64 }).map((length) => 'r'.repeat(length)),
  { arbitrary: fc.constant('x'.repeat(100_000)), weight: 1 },
  { arbitrary: fc.tuple(validId, hostileCharacter, fc.nat()).map(([id, bad, at]) => insertAt(id, bad, at)), weight: 4 },
  validId.map((id) => `$${id}`),
  fc.constantFrom('$all', '$$run', 'run 1', ' run', 'run\u0000', '%2F', '\ud800'),
);

function insertAt(text: string, inserted: string, at: number): string {
  const index = at % (text.length + 1);
  return text.slice(0, index) + inserted + text.slice(index);
}

/** A run/session/thread id as a URL path segment: percent-encoded, also with escapes that are not UTF-8. */
export const invalidIdPathSegment: fc.Arbitrary<string> = fc.oneof(
  invalidIdString.filter((id) => id.length > 0 && id.length <= 4_000 && !/[\ud800-\udfff]/.test(id)).map(encodeURIComponent),
  fc.constantFrom('%ED%A0%80', '%FF', '%E0%A4%A', '%', '%zz', 'a%00b', '%24all', 'a%2Fb', '%20', '..%2F..%2Fadmin'),
);

/** JSON values of every type but a string. */
export const nonStringJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** JSON values of every type but an object. */
export const nonObjectJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/**
 * Objects and arrays nested `levels` deep around a leaf. Held as a marker and written as text by
 * `jsonText`, since JSON.stringify overflows the stack on 100,000 levels (JSON.parse does not).
 */
export class NestedJson {
  constructor(readonly levels: number) {}

  text(): string {
    const opening = (level: number) => (level % 2 === 0 ? '[' : '{"deeper":');
    const closing = (level: number) => (level % 2 === 0 ? ']' : '}');
    const levels = Array.from({ length: this.levels }, (_, level) => level);
    return `${levels.map((level) => opening(this.levels - 1 - level)).join('')}"bottom"${levels.map(closing).join('')}`;
  }
}

export function nested(levels: number): NestedJson {
  return new NestedJson(levels);
}

/** JSON text of a value that may hold `NestedJson` markers. */
export function jsonText(value: unknown): string {
  const markers: NestedJson[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => (item instanceof NestedJson ? `\u0000nested:${markers.push(item) - 1}` : item));
  return text.replace(/"\\u0000nested:(\d+)"/g, (_match, index: string) => markers[Number(index)].text());
}

/** The value with its markers made real nesting (as a transport's JSON.parse gives them); every other value is kept as it is. */
export function materialized(value: unknown): unknown {
  if (value instanceof NestedJson) return JSON.parse(value.text());
  if (Array.isArray(value)) return value.map(materialized);
  if (typeof value !== 'object' || value === null) return value;
  const copy: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: materialized(item), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Levels past maxJsonDepth: just over, and 100,000 deep. */
export const tooDeepLevels = fc.oneof(
  { arbitrary: fc.integer({ min: limits.maxJsonDepth + 1, max: limits.maxJsonDepth + 40 }), weight: 4 },
  { arbitrary: fc.constant(100_000), weight: 1 },
);

/** A string whose UTF-8 JSON text is `bytes` long or more (multi-byte characters included). */
export function textOfBytes(bytes: number): fc.Arbitrary<string> {
  return fc.constantFrom('x', 'é', '世', '🚀').map((unit) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))));
}

/** Labels (kind, name) that are refused: empty, or over maxLabelLength code points (astral ones counted once). */
export const invalidLabel: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('k', '🚀', '\ud800', '世'), fc.integer({ min: 1, max: 20 })).map(([unit, extra]) => unit.repeat(limits.maxLabelLength + extra)),
);

/** The ways `timeoutMs` is wrong, as query text: negative, fractional, exponent, NaN, huge, padded, hex, empty. */
export const invalidTimeoutText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }).map(String),
  fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('1e400', '-1e400', 'NaN', 'Infinity', '-0.5', '1.5', '1e3', '0x10', ' 5', '5 ', '+5', '', '٣', 'null', 'true', '[]', '"5"'),
  fc.integer({ min: limits.maxTimeoutMs + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
  fc.constant('9'.repeat(400)),
);

/** The same as numbers, as a bus payload or JSON body carries them (Infinity is what 1e400 parses to). */
export const invalidTimeoutNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Infinity, -Infinity, NaN, '5', '1e400', 'NaN', '', null, true, [5], { ms: 5 }),
  fc.integer({ min: limits.maxTimeoutMs + 1, max: Number.MAX_SAFE_INTEGER }),
);

/** Keys a prototype walker trips on, plus keys that look like known ones. */
export const trickyKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '\u0000', '\ud800', 'ключ', '🚀'] as const;

/** Keys none of the given known keys equals: tricky ones and any text. */
export function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
  const lookalikes = known.flatMap((key) => [key.toUpperCase(), `${key} `, `${key}\u0000`, `${key}.x`, `${key}[0]`]);
  return fc
    .oneof(fc.constantFrom(...trickyKeys, ...(lookalikes.length > 0 ? lookalikes : ['x'])), hostileText({ minLength: 1, maxLength: 12 }))
    .filter((key) => !known.includes(key));
}

/** Text no listing timestamp is: no date, a time without an offset, days no month has, parts out of range. */
export const invalidTimestampText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'yesterday',
    '2026-13-01',
    '2026-12-00',
    '2026-02-30',
    '2025-02-29',
    '2026-04-31T10:00:00Z',
    '2026-12-01T10:00',
    '2026-12-01 10:00:00Z',
    '2026-12-01Z',
    '2026-12-01T25:00Z',
    '2026-12-01T10:60Z',
    '2026-12-01T10:00:00+24:00',
    '2026-12-01T10:00:00.Z',
    '2026-12-01T10:00:00.1234567890Z',
    '1796119200000',
    '20261201',
    '2026-12-1',
    '+002026-12-01',
    ' 2026-12-01',
  ),
  hostileText({ minLength: 1, maxLength: 20 }).filter((text) => !/^\d{4}-\d{2}-\d{2}/.test(text)),
);

/** A listing's `limit` that is no integer from 1 to maxListLimit, as a bus payload carries it. */
export const invalidPageSize: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.integer({ min: limits.maxListLimit + 1, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Infinity, NaN, 2 ** 53, '10', '', null, true, [10], { limit: 10 }),
);

/** The same as query text: not digits, or digits out of range. */
export const invalidPageSizeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', 'abc', '-1', '1.5', '1e3', '0x10', ' 5', '5 ', '+5', '', '٣', 'null', '[]', '9'.repeat(400)),
  fc.integer({ min: limits.maxListLimit + 1, max: 999_999_999 }).map(String),
);

const cursorOf = (content: unknown): string => Buffer.from(JSON.stringify(content)).toString('base64url');

/** Text that is no cursor of a page: not base64url, too long, or base64url of anything but `{ v: 1, k: <positive safe integer> }`. */
export const invalidCursorText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'not a cursor',
    '=',
    'x'.repeat(65),
    cursorOf({ v: 2, k: 1 }),
    cursorOf({ v: 1, k: 0 }),
    cursorOf({ v: 1, k: -5 }),
    cursorOf({ v: 1, k: 1.5 }),
    cursorOf({ v: 1, k: 2 ** 53 }),
    cursorOf({ v: 1, k: '1' }),
    cursorOf({ v: 1 }),
    cursorOf({ k: 1 }),
    cursorOf([1, 1]),
    cursorOf(null),
  ),
  // Hostile characters are outside the base64url alphabet.
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/), fc.constantFrom(...hostileCharacters)).map(([text, bad]) => `${text}${bad}`),
);

const includeNames = ['metadata', 'input', 'output'];

/** `include` that is no list of metadata, input, output. */
export const invalidInclude: fc.Arbitrary<unknown> = fc.oneof(
  nonObjectJson.filter((value) => !Array.isArray(value)),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constantFrom(['inputs'], ['INPUT'], ['input', 'steps'], [''], ['input,output'], [1], [null], [['input']]),
  fc.array(hostileText({ maxLength: 10 }), { minLength: 1, maxLength: 3 }).filter((items) => items.some((item) => !includeNames.includes(item))),
);

/** The same as query text (comma-separated); the empty text is a valid empty list. */
export const invalidIncludeText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('inputs', 'INPUT', 'input,,output', ',', 'input,steps', 'input output', 'input;output', ' input', 'output,'),
  hostileText({ minLength: 1, maxLength: 12 }).filter((text) => text.split(',').some((item) => !includeNames.includes(item))),
);
