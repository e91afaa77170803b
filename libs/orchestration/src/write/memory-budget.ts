/** What the process may hold in memory for the write side and for awaits, in bytes: bounded whatever the history. */
export interface MemoryBudget {
  /** Folded stream states cached for commands; the least recently used go first. */
  readonly streamCacheBytes: number;
  /** Await watches and their waiters; past it an await is refused with `too_many_requests`. */
  readonly awaitBytes: number;
}

/** 16 MiB holds about 15,000 recently used run states (as many as the cache's old limit of 20,000 streams held). */
export const defaultMemoryBudget: MemoryBudget = Object.freeze({ streamCacheBytes: 16 * 1024 * 1024, awaitBytes: 64 * 1024 * 1024 });

/** The defaults with the given sizes over them; a size that is not a positive integer throws, naming it. */
export function resolveMemoryBudget(overrides: Partial<MemoryBudget> = {}): MemoryBudget {
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in defaultMemoryBudget)) throw new Error(`memory.${name} is not a memory budget (known: ${Object.keys(defaultMemoryBudget).join(', ')})`);
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new Error(`memory.${name} must be a positive integer of bytes (got ${String(value)})`);
  }
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return Object.freeze({ ...defaultMemoryBudget, ...Object.fromEntries(defined) });
}
