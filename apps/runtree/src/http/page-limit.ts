import { inputRejection } from './input-rejection.js';

/** `limit`: digits, 1 to the configured page size; absent means the page size. */
export function parsePageLimit(value: unknown, pageSize: number): number {
  if (value === undefined) return pageSize;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= pageSize)) {
    throw inputRejection('invalid_option', 'limit', `must be an integer from 1 to ${pageSize} (RUNTREE_JOURNAL_PAGE_SIZE)`);
  }
  return limit;
}
