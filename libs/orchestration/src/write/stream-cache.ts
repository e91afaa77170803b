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
 * deleted and added: on a Map of hundreds of thousands of streams that churn cost a spawn about
 * 20 µs in `Map.set`, more as the Map grew.
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
    let entry = this.entries.get(key);
    if (entry) {
      this.unlink(entry);
      this.total -= entry.bytes;
      entry.value = value;
      entry.bytes = bytes;
    } else {
      entry = { key, value, bytes };
      this.entries.set(key, entry);
    }
    this.linkAsNewest(entry);
    this.total += bytes;
    while (this.total > this.budgetBytes && this.oldest) this.remove(this.oldest);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.remove(entry);
  }

  clear(): void {
    this.entries.clear();
    this.oldest = undefined;
    this.newest = undefined;
    this.total = 0;
  }

  private remove(entry: Entry<V>): void {
    this.entries.delete(entry.key);
    this.unlink(entry);
    this.total -= entry.bytes;
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
