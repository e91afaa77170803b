import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import type { ErrorCode } from '../api/errors.js';

/** Builds a codec from its validation alone; `is` follows from it. */
export function codecFromValidate<A>(name: string, validate: t.Validate<unknown, A>): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, (u): u is A => isRight(validate(u, [])), validate, t.identity);
}

/**
 * Marks a codec with the error code its failures carry. The reporter uses the outermost
 * mark on a failure's path, so a bad `metadata` nested in a session target is reported
 * as `invalid_session_target`, not as a generic `invalid_option`.
 */
export class CodedType<A> extends t.Type<A, A, unknown> {
  constructor(
    readonly code: ErrorCode,
    inner: t.Decoder<unknown, A>,
  ) {
    super(
      inner.name,
      (u): u is A => isRight(inner.validate(u, [])),
      (u, c) => inner.validate(u, t.appendContext(c, '', inner, u)),
      t.identity,
    );
  }
}

export function coded<A>(code: ErrorCode, inner: t.Decoder<unknown, A>): CodedType<A> {
  return new CodedType(code, inner);
}

export interface Branch<A> {
  /** A cheap test on the raw value that picks this branch. */
  readonly matches: (u: unknown) => boolean;
  readonly codec: t.Decoder<unknown, A>;
}

/**
 * A union that picks its branch by the value's shape, so a failure comes from the one
 * branch the caller meant (e.g. `{ open: { metadata: [] } }` fails on `open.metadata`)
 * instead of from every alternative at once.
 */
export function oneOf<A>(name: string, branches: readonly Branch<A>[], expected: string): t.Type<A, A, unknown> {
  return codecFromValidate(name, (u, c) => {
    const branch = branches.find((candidate) => candidate.matches(u));
    return branch === undefined ? t.failure(u, c, expected) : branch.codec.validate(u, t.appendContext(c, '', branch.codec, u));
  });
}
