import * as t from 'io-ts';
import type { JsonObject } from '../api/model.js';
import type { SessionTarget, ThreadTarget } from '../api/options.js';
import { coded, codecFromValidate, oneOf } from './coded-codec.js';
import { objectCodec } from './object-codec.js';
import { booleanCodec, targetKeywords } from './scalar-codecs.js';

interface TargetParts {
  readonly id: t.Type<string, string, unknown>;
  readonly label: t.Type<string, string, unknown>;
  readonly metadata: t.Type<JsonObject, JsonObject, unknown>;
}

const isString = (u: unknown): boolean => typeof u === 'string';
const hasOwnKey =
  (key: string) =>
  (u: unknown): boolean =>
    typeof u === 'object' && u !== null && !Array.isArray(u) && Object.hasOwn(u, key);

/** `'inherit'`, `'none'`, or else an id: the keywords are never read as ids. */
function keywordOrId(id: t.Type<string, string, unknown>): t.Type<string, string, unknown> {
  return codecFromValidate('a keyword or an id', (u, c) => ((targetKeywords as readonly unknown[]).includes(u) ? t.success(u as string) : id.validate(u, c)), {
    type: 'string',
    description: "'inherit', 'none' or an id",
  });
}

/** `'inherit' | 'none' | <session id> | { open: { metadata? }, stopOnCancel? }`; every failure is `invalid_session_target`. */
export function sessionTargetCodec(parts: TargetParts): t.Type<SessionTarget, SessionTarget, unknown> {
  const open = objectCodec('the session target', {
    required: { open: objectCodec('open', { required: {}, optional: { metadata: parts.metadata } }) },
    optional: { stopOnCancel: booleanCodec },
  });
  return coded<SessionTarget>(
    'invalid_session_target',
    oneOf<SessionTarget>(
      'session target',
      [
        { matches: isString, codec: keywordOrId(parts.id) },
        { matches: hasOwnKey('open'), codec: open },
      ],
      "must be 'inherit', 'none', a session id, or { open: { metadata? }, stopOnCancel? }",
    ),
  );
}

/** `'inherit' | 'none' | <thread id> | { threadId } | { start: { name?, metadata? } }`; every failure is `invalid_thread_target`. */
export function threadTargetCodec(parts: TargetParts): t.Type<ThreadTarget, ThreadTarget, unknown> {
  const resume = objectCodec('the thread target', { required: { threadId: parts.id }, optional: {} });
  const start = objectCodec('the thread target', {
    required: { start: objectCodec('start', { required: {}, optional: { name: parts.label, metadata: parts.metadata } }) },
    optional: {},
  });
  return coded<ThreadTarget>(
    'invalid_thread_target',
    oneOf<ThreadTarget>(
      'thread target',
      [
        { matches: isString, codec: keywordOrId(parts.id) },
        { matches: hasOwnKey('threadId'), codec: resume },
        { matches: hasOwnKey('start'), codec: start },
      ],
      "must be 'inherit', 'none', a thread id, { threadId } or { start: { name?, metadata? } }",
    ),
  );
}
