/**
 * Serialises async work per key (a stream name) inside this process, so concurrent commands on
 * one stream queue instead of racing on its revision. Optimistic concurrency still guards
 * against other processes.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Waits for the key, then holds it until the returned release is called: for work spanning several keys. */
  async acquire(key: string): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((acquired) => {
      void this.run(key, () => {
        acquired();
        return held;
      });
    });
    return release;
  }
}
