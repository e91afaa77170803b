import { describe, expect, it } from '@jest/globals';
import * as t from 'io-ts';
import { JsonValueCodec } from '../events/json.codec.js';
import { jsonSchemaOf } from './json-schema.js';
import { inputCodecs } from './option-codecs.js';
import { objectCodec } from './object-codec.js';
import { documented } from './schema-annotation.js';
import { defaultValidationLimits } from './validation-limits.js';

const codecs = inputCodecs(defaultValidationLimits);

describe('jsonSchemaOf', () => {
  it('states what an options codec accepts: its fields, their limits, and no other key', () => {
    expect(jsonSchemaOf(codecs.startStep)).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        stepId: { type: 'string', minLength: 1, maxLength: defaultValidationLimits.maxIdLength },
        name: { type: 'string', maxLength: defaultValidationLimits.maxLabelLength },
        input: { description: expect.stringContaining('maxPayloadBytes') },
      },
    });
    expect(jsonSchemaOf(codecs.startStep)).not.toHaveProperty('required');
  });

  it('lists required fields, the branches of a target union, and what io-ts built-ins accept', () => {
    const request = objectCodec('r', { required: { runId: codecs.id }, optional: { session: codecs.spawn.shape.optional.session! } });
    const schema = jsonSchemaOf(request) as { required: string[]; properties: { session: { oneOf: unknown[] } } };
    expect(schema.required).toEqual(['runId']);
    expect(schema.properties.session.oneOf).toHaveLength(2);
    expect(jsonSchemaOf(t.intersection([t.type({ a: t.keyof({ x: null, y: null }) }), t.partial({ b: t.array(t.number) })]))).toEqual({
      type: 'object',
      properties: { a: { type: 'string', enum: ['x', 'y'] }, b: { type: 'array', items: { type: 'number' } } },
      required: ['a'],
      additionalProperties: false,
    });
  });

  it('refers to a named codec wherever it appears inside another, and keeps a description beside the reference', () => {
    const inner = t.type({ id: t.string });
    const outer = t.type({ one: inner, described: documented(inner, 'why'), many: t.array(inner) });
    const names = new Map([[inner as t.Decoder<unknown, unknown>, 'Inner']]);
    expect(jsonSchemaOf(outer, { nameOf: (codec) => names.get(codec), refPrefix: '#/c/' })).toMatchObject({
      properties: { one: { $ref: '#/c/Inner' }, described: { $ref: '#/c/Inner', description: 'why' }, many: { items: { $ref: '#/c/Inner' } } },
    });
    expect(jsonSchemaOf(JsonValueCodec)).toEqual({ description: 'Any JSON value' });
  });

  it('throws on a codec it cannot read, so no shape is left out of a document silently', () => {
    const opaque = new t.Type<string, string, unknown>('opaque', t.string.is, t.string.validate, t.identity);
    expect(() => jsonSchemaOf(t.type({ field: opaque }))).toThrow(/opaque/);
  });
});
