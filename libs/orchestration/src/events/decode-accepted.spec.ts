import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as t from 'io-ts';
import { decodeAccepted } from './decode-accepted.js';
import { EventMetadataCodec } from './event-metadata.js';
import { eventCodecs, type EventType } from './event-registry.js';

// Stored events reach decode through JSON.parse, which builds plain objects: generated objects
// have Object.prototype too (fast-check otherwise also makes null-prototype ones).
const plain = { noNullPrototype: true } as const;
const anyValue = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const json = fc.jsonValue({ maxDepth: 2 });

/** Values of the codec's shape, built from its io-ts structure. */
function validFor(codec: t.Mixed): fc.Arbitrary<unknown> {
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    const props = codec.props as Record<string, t.Mixed>;
    const fields = Object.fromEntries(Object.entries(props).map(([key, field]) => [key, validFor(field)]));
    return codec instanceof t.InterfaceType ? fc.record(fields, plain) : fc.record(fields, { requiredKeys: [], ...plain });
  }
  if (codec instanceof t.IntersectionType) {
    return fc.tuple(...(codec.types as t.Mixed[]).map(validFor)).map((parts) => Object.assign({}, ...parts) as unknown);
  }
  if (codec instanceof t.UnionType) return fc.oneof(...(codec.types as t.Mixed[]).map(validFor));
  if (codec instanceof t.KeyofType) return fc.constantFrom(...Object.keys(codec.keys as object));
  if (codec instanceof t.LiteralType) return fc.constant(codec.value);
  if (codec instanceof t.StringType) return fc.string({ maxLength: 6 });
  if (codec instanceof t.NumberType) return fc.oneof(fc.integer(), fc.double());
  if (codec instanceof t.BooleanType) return fc.boolean();
  if (codec.name === 'JsonObject') return fc.dictionary(fc.string({ maxLength: 3 }), json, { maxKeys: 3, ...plain });
  if (codec.name === 'JsonValue') return json;
  throw new Error(`no generator for codec ${codec.name}`);
}

/** Often valid; otherwise one field replaced, dropped or added, anywhere in the value. */
function nearlyValid(codec: t.Mixed): fc.Arbitrary<unknown> {
  const mutate = (input: unknown, path: readonly number[], replacement: unknown, action: number): unknown => {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || input instanceof Date) return replacement;
    const keys = Object.keys(input);
    const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    if (keys.length === 0 || action === 2) {
      copy[`extra${path.length}`] = replacement;
      return copy;
    }
    const key = keys[path[0] % keys.length];
    if (path.length > 1) copy[key] = mutate(copy[key], path.slice(1), replacement, action);
    else if (action === 0) copy[key] = replacement;
    else delete copy[key];
    return copy;
  };
  return fc.oneof(
    validFor(codec),
    fc
      .tuple(validFor(codec), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), anyValue, fc.integer({ min: 0, max: 2 }))
      .map(([valid, path, replacement, action]) => mutate(valid, path, replacement, action)),
    anyValue,
  );
}

/** io-ts's own decode and the fast path must agree: the same acceptance, the same value, the same errors. */
function expectSameAsDecode(codec: t.Mixed, input: unknown): void {
  expect(decodeAccepted(codec, input)).toStrictEqual(codec.decode(input));
}

describe('decodeAccepted', () => {
  it.each(Object.keys(eventCodecs) as EventType[])('decodes %s exactly as its io-ts codec does', (type) => {
    const codec = eventCodecs[type] as t.Mixed;
    fc.assert(fc.property(nearlyValid(codec), (input) => expectSameAsDecode(codec, input)), { numRuns: 300 });
  });

  it('decodes event metadata exactly as its io-ts codec does', () => {
    fc.assert(fc.property(nearlyValid(EventMetadataCodec), (input) => expectSameAsDecode(EventMetadataCodec, input)), { numRuns: 300 });
  });

  it('sees valid and invalid values of every event type', () => {
    for (const codec of Object.values(eventCodecs) as t.Mixed[]) {
      const accepted = fc.sample(nearlyValid(codec), { numRuns: 300, seed: 1 }).filter((input) => codec.is(input)).length;
      expect(accepted).toBeGreaterThan(50);
      expect(accepted).toBeLessThan(290);
    }
  });

  it('accepts valid events through the fast path and refuses invalid ones with io-ts errors', () => {
    const valid = { stepId: 's', name: 'n', kind: 'k', input: { a: [1, null] } };
    expect(decodeAccepted(eventCodecs.StepStarted, valid)).toStrictEqual({ _tag: 'Right', right: valid });
    const refused = decodeAccepted(eventCodecs.StepStarted, { stepId: 1, name: 'n', kind: 'k' });
    expect(refused._tag).toBe('Left');
  });
});
