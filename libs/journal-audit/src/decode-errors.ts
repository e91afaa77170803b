import type * as t from 'io-ts';

/** The fields a codec refused, by path: `metadata.hash, revision invalid`. */
export function describeDecodeErrors(errors: t.Errors): string {
  const paths = errors.map((error) => error.context.map((entry) => entry.key).filter(Boolean).join('.') || '(root)');
  return `${[...new Set(paths)].join(', ')} invalid`;
}
