/** Collects garbage when node runs with `--expose-gc` (as `npm run bench` does), so one figure's garbage is not collected during the next. */
export function collectGarbage(): void {
  global.gc?.();
}

/** Heap in use after a full collection; needs `--expose-gc`, since without it the figure would be noise. */
export function settledHeapUsed(): number {
  if (global.gc === undefined) throw new Error('heap figures need node --expose-gc (npm run bench passes it)');
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}
