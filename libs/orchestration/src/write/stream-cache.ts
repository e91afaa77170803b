/** One cached entry, linked in order of use: `older` toward the next to drop, `newer` toward the last set. */
interface Entry<V> {
  readonly key: string;
  value: V;
  bytes: number;
  older?: Entry<V>;
  newer?: Entry<V>;
}

/**
 * A least-recently-used map bounded by the bytes its entries are weighed at, not by their number:
 * one parent with 10,000 children weighs as much as thousands of leaf runs. An entry heavier than
 * the whole budget is not kept.
 *
 * The order of use is a linked list beside the Map, so a key set again is updated in place, not
 * deleted and added: with hundreds of thousands of streams cached, that churn made V8 copy the
 * Map's table and mark the heap far more often, and each `set` cost tens of microseconds.
 */
export class StreamCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private oldest?: Entry<V>;
  private newest?: Entry<V>;
  private total = 0;

  constructor(private readonly budgetBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Stores the entry as the most recently used, then drops the least recently used ones over budget. */
  set(key: string, value: V, bytes: number): void {
    if (bytes > this.budgetBytes) return this.delete(key);
    const known = this.entries.get(key);
    if (known) {
      this.unlink(known);
      this.total -= known.bytes;
      known.value = value;
      known.bytes = bytes;
    }
    const entry = known ?? { key, value, bytes };
    this.linkAsNewest(entry);
    if (!known) this.entries.set(key, entry);
    this.total += bytes;
    while (this.total > this.budgetBytes && this.oldest) this.delete(this.oldest.key);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.unlink(entry);
    this.total -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.oldest = undefined;
    this.newest = undefined;
    this.total = 0;
  }

  private linkAsNewest(entry: Entry<V>): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: Entry<V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
  }
}
