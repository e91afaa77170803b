/**
 * Serialises async work per key (a stream name) inside this process, so concurrent commands on
 * one stream queue instead of racing on its revision. Optimistic concurrency still guards
 * against other processes.
 */
export class KeyedLock {
  /** Per key, what the last one to ask for it holds until it releases: the next one waits for that. */
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Waits for the key, then holds it until the returned release is called (once or more). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key);
    const release = this.hold(key);
    if (previous !== undefined) await previous;
    return release;
  }

  /** Holds the key at once when nobody holds it or waits for it; undefined, without waiting, otherwise. */
  tryAcquire(key: string): (() => void) | undefined {
    return this.tails.has(key) ? undefined : this.hold(key);
  }

  /** Puts the caller last in the key's queue; the release lets the next one in. */
  private hold(key: string): () => void {
    let letNextIn!: () => void;
    const tail = new Promise<void>((resolve) => (letNextIn = resolve));
    this.tails.set(key, tail);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.tails.get(key) === tail) this.tails.delete(key);
      letNextIn();
    };
  }
}
