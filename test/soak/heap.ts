/** Bytes of JavaScript heap in use after full garbage collections (node must run with --expose-gc). */
export async function settledHeapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run node with --expose-gc: the soak measures the heap after garbage collection');
  // Several rounds, with turns of the event loop between, so closed sockets and finished promises are released.
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

export const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
