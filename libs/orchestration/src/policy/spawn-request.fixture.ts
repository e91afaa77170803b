import type { Run } from '../api/model.js';
import type { SpawnRequest, TreeShape } from './orchestration-policy.js';

const parent: Run = {
  runId: 'parent-1',
  kind: 'run',
  status: 'running',
  metadata: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  revision: '0',
};

/** A spawn request for policy specs: a root parent with no children unless overridden. */
export function spawnRequest(overrides: Partial<Omit<SpawnRequest, 'tree'>> & { readonly tree?: Partial<TreeShape> } = {}): SpawnRequest {
  const { tree, ...rest } = overrides;
  return {
    parent,
    relation: 'spawned',
    kind: 'orchestrator_child',
    metadata: {},
    ...rest,
    tree: { rootRunId: 'root-1', parentDepth: 0, parentChildCount: 0, runningDescendantsOfRoot: 0, ...tree },
  };
}
