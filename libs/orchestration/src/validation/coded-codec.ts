import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import type { ErrorCode } from '../api/errors.js';
import { describedAs, type JsonSchema } from './schema-annotation.js';

/** Builds a codec from its validation alone; `is` follows from it. `schema` is what the documents say it accepts. */
export function codecFromValidate<A>(name: string, validate: t.Validate<unknown, A>, schema: JsonSchema): t.Type<A, A, unknown> {
  return describedAs(new t.Type<A, A, unknown>(name, (u): u is A => isRight(validate(u, [])), validate, t.identity), schema);
}

/**
 * Marks a codec with the error code its failures carry. The reporter uses the outermost
 * mark on a failure's path, so a bad `metadata` nested in a session target is reported
 * as `invalid_session_target`, not as a generic `invalid_option`.
 */
export class CodedType<A> extends t.Type<A, A, unknown> {
  constructor(
    readonly code: ErrorCode,
    readonly inner: t.Decoder<unknown, A>,
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
export class OneOfType<A> extends t.Type<A, A, unknown> {
  constructor(
    name: string,
    /** Readable so the JSON Schema of the union lists each branch. */
    readonly branches: readonly Branch<A>[],
    readonly expected: string,
  ) {
    const validate: t.Validate<unknown, A> = (u, c) => {
      const branch = branches.find((candidate) => candidate.matches(u));
      return branch === undefined ? t.failure(u, c, expected) : branch.codec.validate(u, t.appendContext(c, '', branch.codec, u));
    };
    super(name, (u): u is A => isRight(validate(u, [])), validate, t.identity);
  }
}

export function oneOf<A>(name: string, branches: readonly Branch<A>[], expected: string): OneOfType<A> {
  return new OneOfType(name, branches, expected);
}
