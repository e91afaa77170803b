import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { JsonValue } from '@runtree/event-store';
import type { DomainError } from '../api/errors.js';
import { inputCodecs } from './option-codecs.js';
import { decodeInput, inputError } from './report.js';
import { defaultValidationLimits, type ValidationLimits } from './validation-limits.js';

/** A run, step, session or thread id argument; `field` names it in the error (e.g. `runId`). */
export function parseId(u: unknown, field: string, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, string> {
  return decodeInput(inputCodecs(limits).id, u, { root: field });
}

/** A run id, or a run object carrying `runId` (any other keys of the object are ignored); gives the id. */
export function parseParentRef(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, string> {
  return pipe(
    decodeInput(inputCodecs(limits).parent, u, { root: 'parent' }),
    E.map((parent) => (typeof parent === 'string' ? parent : parent.runId)),
  );
}

export function parseTimeoutMs(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, number> {
  return decodeInput(inputCodecs(limits).timeoutMs, u, { root: 'timeoutMs' });
}

/** An optional `AbortSignal` argument, e.g. await's `signal`; `undefined` stays absent. */
export function parseOptionalSignal(u: unknown, field: string): E.Either<DomainError, AbortSignal | undefined> {
  return u === undefined || u instanceof AbortSignal
    ? E.right(u)
    : E.left(inputError({ code: 'invalid_option', field, reason: 'must be an AbortSignal' }));
}

/** A required JSON argument such as a delegation's `task` or a failure's `error`. */
export function parsePayload(u: unknown, field: string, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, JsonValue> {
  return u === undefined
    ? E.left(inputError({ code: 'invalid_option', field, reason: 'is required (null is the JSON way to say nothing)' }))
    : decodeInput(inputCodecs(limits).payload, u, { root: field });
}

/** An optional JSON argument such as a run's `output` or a cancel reason: `undefined` stays absent. */
export function parseOptionalPayload(
  u: unknown,
  field: string,
  limits: ValidationLimits = defaultValidationLimits,
): E.Either<DomainError, JsonValue | undefined> {
  return u === undefined ? E.right(undefined) : parsePayload(u, field, limits);
}
