/** Runs `measure` `warmups` times unrecorded (JIT, page cache, file creation), then returns `runs` recorded results. */
export async function repeat<T>(runs: number, warmups: number, measure: () => Promise<T> | T): Promise<T[]> {
  for (let warmup = 0; warmup < warmups; warmup += 1) await measure();
  const results: T[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await measure());
  return results;
}
