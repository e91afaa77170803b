import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { v5 as uuidv5 } from 'uuid';
import { nameBasedUuid } from './name-based-uuid.js';

const NAMESPACE = '4f0f6f7e-6a8e-4e8b-9c55-2b1f3d0c7a11';

describe('nameBasedUuid', () => {
  // Event ids already in journals were derived with uuidv5(name, namespace): the ids must not change.
  it('gives the id uuidv5 gives for any name, including non-ASCII ones', () => {
    const idFor = nameBasedUuid(NAMESPACE);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (name) => {
        expect(idFor(name)).toBe(uuidv5(name, NAMESPACE));
      }),
      { numRuns: 500 },
    );
  });

  it('takes a lone surrogate as UTF-8 does (U+FFFD), as the ids already written did', () => {
    expect(nameBasedUuid(NAMESPACE)('a\ud800b')).toBe(uuidv5(Buffer.from('a\ud800b', 'utf8'), NAMESPACE));
  });

  it('keeps the namespace apart', () => {
    expect(nameBasedUuid(NAMESPACE)('a')).not.toBe(nameBasedUuid('9b3c1f52-0d7e-4a57-8f0e-6c2d8e41b9a4')('a'));
  });
});
