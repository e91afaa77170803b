import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { domainError, type DomainError, type ErrorCode } from '../api/errors.js';
import { CodedType } from './coded-codec.js';
import { fieldPath } from './field-path.js';
import { ObjectType } from './object-codec.js';

/** What went wrong with an input, in the terms of the spec: a code, the field's path and why. */
export interface InputFailure {
  readonly code: ErrorCode;
  /** Dotted path of the failing field, e.g. `session.open.metadata` or `allowedKinds[1]`. */
  readonly field: string;
  readonly reason: string;
}

const titles: Partial<Record<ErrorCode, string>> = {
  unsupported_option: 'Unsupported option',
  invalid_option: 'Invalid option',
  invalid_session_target: 'Invalid session target',
  invalid_thread_target: 'Invalid thread target',
  invalid_parent: 'Invalid parent',
  invalid_timeout: 'Invalid timeout',
};

/**
 * Describes the first io-ts failure. `root` names the value itself (e.g. `parent`); paths
 * inside it are appended to it. Without a root, paths are relative (an options object's
 * `metadata`) and a failure of the whole value is named `fallback`.
 */
export function describeFailure(errors: t.Errors, naming: { readonly root?: string; readonly fallback?: string } = {}): InputFailure {
  const first = errors[0];
  if (first === undefined) return { code: 'invalid_option', field: naming.root ?? naming.fallback ?? 'input', reason: 'is invalid' };
  const path = pathOf(first.context);
  const field = naming.root === undefined ? path || (naming.fallback ?? 'options') : joinPath(naming.root, path);
  return { code: codeOf(first.context), field, reason: first.message ?? `must be ${first.context[first.context.length - 1]?.type.name}` };
}

export function inputError(failure: InputFailure): DomainError {
  const title = titles[failure.code] ?? 'Invalid input';
  return domainError(failure.code, `${title}: ${failure.field} ${failure.reason}`, { field: failure.field, reason: failure.reason });
}

export function decodeInput<A>(codec: t.Decoder<unknown, A>, u: unknown, naming?: { readonly root?: string; readonly fallback?: string }): E.Either<DomainError, A> {
  return E.mapLeft((errors: t.Errors) => inputError(describeFailure(errors, naming)))(codec.decode(u));
}

/** The outermost code on the path wins; unmarked failures are `invalid_option`. */
function codeOf(context: t.Context): ErrorCode {
  const marked = context.find((entry) => entry.type instanceof CodedType);
  return marked === undefined ? 'invalid_option' : (marked.type as CodedType<unknown>).code;
}

/** Only keys of objects and indexes of arrays name a field; wrapper and union entries do not. */
function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1].type;
    if (parent instanceof ObjectType) path = fieldPath(path, context[i].key);
    else if (parent instanceof t.ArrayType) path += `[${context[i].key}]`;
  }
  return path;
}

function joinPath(base: string, path: string): string {
  if (base === '' || path === '') return base + path;
  return path.startsWith('[') ? base + path : `${base}.${path}`;
}
