import * as t from 'io-ts';

/**
 * `codec.decode(u)`, without io-ts's error-collecting walk when `codec.is(u)` already accepts it.
 * Valid only for codecs that do not transform what they decode (every event and metadata codec:
 * decode gives back its input), so the result is what decode gives; `decode-accepted.spec.ts`
 * checks it on random values for every event type. Replay decodes every stored event: this is
 * its hot path.
 */
export function decodeAccepted<A>(codec: t.Type<A, unknown, unknown>, u: unknown): t.Validation<A> {
  return codec.is(u) ? t.success(u) : codec.decode(u);
}
