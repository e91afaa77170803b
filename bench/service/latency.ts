/** The value below which `fraction` of the samples fall (nearest rank), e.g. 0.99 for p99. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
