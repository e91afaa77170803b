/** Collects garbage when node runs with `--expose-gc` (as `npm run bench` does), so one figure's garbage is not collected during the next. */
export function collectGarbage(): void {
  global.gc?.();
}

/** The process's memory after full collections; needs `--expose-gc`, since without it the heap figure would be noise. */
export function settledMemoryUsage(): NodeJS.MemoryUsage {
  if (global.gc === undefined) throw new Error('settled heap figures need node --expose-gc');
  global.gc();
  global.gc();
  return process.memoryUsage();
}
