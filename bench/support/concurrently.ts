/** Calls `work` for every item with at most `concurrency` calls in flight; rejects with the first failure. */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** 0, 1, …, count - 1. */
export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
