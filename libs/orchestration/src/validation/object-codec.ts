import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import { coded } from './coded-codec.js';

export type ObjectOf<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.TypeOf<R[K]> } & { [K in keyof O]?: t.TypeOf<O[K]> };

export interface ObjectShape<R extends t.Props, O extends t.Props> {
  readonly required: R;
  readonly optional: O;
}

export interface ObjectRules {
  /** `refuse` (the default) fails on any key not in the shape; `ignore` drops it (e.g. a whole run object given as a parent). */
  readonly unknownKeys?: 'refuse' | 'ignore';
  /** Keys refused with a specific reason (e.g. `input` on delegate: the task is the input). */
  readonly refusedKeys?: { readonly [key: string]: string };
}

/** Context mark for an unknown key: the reporter turns it into `unsupported_option`. */
const unknownKey = coded('unsupported_option', t.never);

/**
 * An object codec that, unlike `t.type`/`t.exact`, reports unknown keys instead of stripping
 * them. A key whose value is `undefined` counts as absent (as it would in JSON) and is
 * left out of the result. Only own keys are read, so inherited properties never count.
 */
export class ObjectType<A> extends t.Type<A, A, unknown> {
  constructor(
    name: string,
    /** The keys and their codecs, readable so tools (the fuzz suite) can enumerate every field. */
    readonly shape: ObjectShape<t.Props, t.Props>,
    readonly rules: ObjectRules,
  ) {
    const validate: t.Validate<unknown, A> = (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) {
        return t.failure(u, c, `must be an object, not ${describeType(u)}`);
      }
      const record = u as Record<string, unknown>;
      const present = (key: string) => Object.hasOwn(record, key) && record[key] !== undefined;
      const errors: t.ValidationError[] = [];
      for (const key of Object.keys(record).filter(present)) {
        if (!Object.hasOwn(shape.required, key) && !Object.hasOwn(shape.optional, key)) {
          const refusal = rules.refusedKeys !== undefined && Object.hasOwn(rules.refusedKeys, key) ? rules.refusedKeys[key] : undefined;
          if (refusal !== undefined || rules.unknownKeys !== 'ignore') {
            const context = t.appendContext(c, key, unknownKey, record[key]);
            errors.push({ value: record[key], context, message: refusal ?? `is not an option of ${name} (known: ${knownKeys(shape)})` });
          }
        }
      }
      const result: Record<string, unknown> = {};
      for (const [key, codec] of [...Object.entries(shape.required), ...Object.entries(shape.optional)]) {
        if (!present(key)) {
          if (Object.hasOwn(shape.required, key)) errors.push({ value: undefined, context: t.appendContext(c, key, codec, undefined), message: 'is required' });
          continue;
        }
        const decoded = codec.validate(record[key], t.appendContext(c, key, codec, record[key]));
        if (isRight(decoded)) result[key] = decoded.right;
        else errors.push(...decoded.left);
      }
      return errors.length > 0 ? t.failures(errors) : t.success(result as A);
    };
    super(name, (u): u is A => isRight(validate(u, [])), validate, t.identity);
  }
}

export function objectCodec<R extends t.Props, O extends t.Props>(
  name: string,
  shape: ObjectShape<R, O>,
  rules: ObjectRules = {},
): ObjectType<ObjectOf<R, O>> {
  return new ObjectType(name, shape, rules);
}

function knownKeys(shape: ObjectShape<t.Props, t.Props>): string {
  return [...Object.keys(shape.required), ...Object.keys(shape.optional)].join(', ');
}

export function describeType(u: unknown): string {
  if (u === null) return 'null';
  if (u === undefined) return 'undefined';
  if (Array.isArray(u)) return 'an array';
  return typeof u === 'object' ? 'an object' : `a ${typeof u}`;
}
