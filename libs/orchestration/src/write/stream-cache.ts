/** One cached entry and the bytes it is counted at. */
interface Weighed<V> {
  readonly value: V;
  readonly bytes: number;
}

/**
 * A least-recently-used map bounded by the bytes its entries are weighed at, not by their number:
 * one parent with 10,000 children weighs as much as thousands of leaf runs. An entry heavier than
 * the whole budget is not kept.
 */
export class StreamCache<V> {
  private readonly entries = new Map<string, Weighed<V>>();
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
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
