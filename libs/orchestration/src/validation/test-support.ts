import type { ErrorCode } from '../api/errors.js';

/** A `toMatchObject` pattern for a parse result that failed with `code` on `field` (for specs). */
export function failsWith(code: ErrorCode, field: string): { _tag: 'Left'; left: { code: ErrorCode; details: { field: string } } } {
  return { _tag: 'Left', left: { code, details: { field } } };
}
