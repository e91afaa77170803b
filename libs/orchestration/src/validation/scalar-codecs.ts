import * as t from 'io-ts';
import { codecFromValidate } from './coded-codec.js';
import { describeType } from './object-codec.js';
import type { JsonSchema } from './schema-annotation.js';
import type { ValidationLimits } from './validation-limits.js';

/** Characters an id may hold: ids become stream names (`run-<id>`) and must stay valid on every store. */
const idPattern = /^[A-Za-z0-9._:@-]+$/;
const idCharacter = /[A-Za-z0-9._:@-]/;

/** Keywords of session and thread targets: an id spelled like one could never be targeted. */
export const targetKeywords = ['inherit', 'none'] as const;

function stringFailure(u: unknown, c: t.Context): t.Validation<never> {
  return t.failure(u, c, `must be a string, not ${describeType(u)}`);
}

/** Run, step, session, thread and command ids. */
export function idCodec(limits: ValidationLimits): t.Type<string, string, unknown> {
  return codecFromValidate('an id', (u, c) => {
    if (typeof u !== 'string') return stringFailure(u, c);
    if (u.length === 0) return t.failure(u, c, 'must not be empty');
    if (u.length > limits.maxIdLength) return t.failure(u, c, `is ${u.length} characters long, over maxIdLength (${limits.maxIdLength})`);
    if (!idPattern.test(u)) {
      const bad = [...u].find((character) => !idCharacter.test(character));
      return t.failure(u, c, `may only hold letters A-Z a-z, digits and . _ : @ - (found ${JSON.stringify(bad)})`);
    }
    return t.success(u);
  }, idSchema(limits));
}

function idSchema(limits: ValidationLimits): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: limits.maxIdLength, pattern: idPattern.source };
}

/** Ids of sessions and threads a caller creates: also refuses the target keywords. */
export function substrateIdCodec(limits: ValidationLimits): t.Type<string, string, unknown> {
  const id = idCodec(limits);
  return codecFromValidate('a session or thread id', (u, c) =>
    (targetKeywords as readonly unknown[]).includes(u) ? t.failure(u, c, `must not be ${JSON.stringify(u)}, a reserved target keyword`) : id.validate(u, c),
    { ...idSchema(limits), not: { enum: [...targetKeywords] } },
  );
}

/** Kinds and names: any non-empty text, measured in characters (code points). */
export function labelCodec(limits: ValidationLimits): t.Type<string, string, unknown> {
  return codecFromValidate('a label', (u, c) => {
    if (typeof u !== 'string') return stringFailure(u, c);
    if (u.length === 0) return t.failure(u, c, 'must not be empty');
    const length = countCodePoints(u, limits.maxLabelLength + 1);
    if (length > limits.maxLabelLength) return t.failure(u, c, `is over maxLabelLength (${limits.maxLabelLength} characters)`);
    return t.success(u);
  }, { type: 'string', minLength: 1, maxLength: limits.maxLabelLength });
}

/** Counts code points, stopping at `stopAt` so a huge string costs no more than the limit. */
function countCodePoints(text: string, stopAt: number): number {
  let count = 0;
  for (const _ of text) if (++count >= stopAt) break;
  return count;
}

export const booleanCodec = codecFromValidate<boolean>('a boolean', (u, c) =>
  typeof u === 'boolean' ? t.success(u) : t.failure(u, c, `must be true or false, not ${describeType(u)}`),
  { type: 'boolean' },
);

export const nonNegativeIntegerCodec = codecFromValidate<number>('a non-negative integer', (u, c) =>
  typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u + 0) /* -0 becomes 0 */ : t.failure(u, c, 'must be a non-negative integer'),
  { type: 'integer', minimum: 0 },
);

/** Milliseconds: a non-negative integer number (transports turn their strings into numbers first). */
export function timeoutCodec(limits: ValidationLimits): t.Type<number, number, unknown> {
  return codecFromValidate('timeoutMs', (u, c) => {
    const value = u;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return t.failure(u, c, 'must be a non-negative integer number of milliseconds');
    }
    if (value > limits.maxTimeoutMs) return t.failure(u, c, `must be at most ${limits.maxTimeoutMs} ms (maxTimeoutMs)`);
    return t.success(value + 0); // -0 becomes 0
  }, { type: 'integer', minimum: 0, maximum: limits.maxTimeoutMs, description: 'Milliseconds' });
}
