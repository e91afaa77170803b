/**
 * A tree to build, level by level below the root: for each run of a level, the index of its parent in
 * the level above (level 0 is the root alone). Siblings are interleaved across parents, so concurrent
 * spawns of one level rarely queue on the same parent.
 */
export type TreeShape = readonly (readonly number[])[];

/** `runs` runs, 10 children per run for `depth - 1` levels, the rest spread over the bottom level (e.g. 1 → 10 → 100 → 1,000 → 8,889). */
export function wideTree(runs: number, depth: number): TreeShape {
  const levels: number[][] = [];
  let remaining = runs - 1;
  let above = 1;
  for (let level = 1; level <= depth && remaining > 0; level += 1) {
    const size = level === depth ? remaining : Math.min(above * 10, remaining);
    levels.push(Array.from({ length: size }, (_, index) => index % above));
    remaining -= size;
    above = size;
  }
  return levels;
}

/** A chain of `depth` runs below the root; the other runs are leaves spread along it. */
export function chainTree(runs: number, depth: number): TreeShape {
  const leaves = runs - 1 - depth;
  if (leaves < 0) throw new Error(`a chain of depth ${depth} needs at least ${depth + 1} runs, got ${runs}`);
  // Level n holds the chain's next run (index 0, under the chain run above) and some leaves of that same chain run.
  return Array.from({ length: depth }, (_, level) => {
    const leavesHere = Math.floor((leaves * (level + 1)) / depth) - Math.floor((leaves * level) / depth);
    return Array.from({ length: 1 + leavesHere }, () => 0);
  });
}

export function treeRuns(shape: TreeShape): number {
  return 1 + shape.reduce((total, level) => total + level.length, 0);
}
