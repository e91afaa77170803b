import type { JsonValue } from '@runtree/event-store';
import type { JsonObject, Relation, Run } from '../api/model.js';

/** The parent as the policy sees it: the run with its metadata, without its input or outcome. */
export type PolicyParent = Omit<Run, 'input' | 'output' | 'error' | 'cancelReason'>;

/** The shape of the tree at the moment of the request, from the read models. */
export interface TreeShape {
  readonly rootRunId: string;
  /** Depth of the parent: a root run is at depth 0, so the child would be at `parentDepth + 1`. */
  readonly parentDepth: number;
  /** Direct children the parent already has (any status). */
  readonly parentChildCount: number;
  /** Descendants of the root that are running now (the root itself not counted). */
  readonly runningDescendantsOfRoot: number;
}

export interface SpawnRequest {
  readonly parent: PolicyParent;
  readonly relation: Relation;
  readonly kind: string;
  readonly task?: JsonValue;
  readonly metadata: JsonObject;
  readonly sessionId?: string;
  readonly threadId?: string;
  readonly tree: TreeShape;
}

export type PolicyDecision =
  | { readonly allowed: true }
  /** `limit` names the rule that denied (e.g. `maxDepth`), `reason` says it for a person. */
  | { readonly allowed: false; readonly limit: string; readonly reason: string };

/** Decides whether a spawn or delegation may happen. Pure and synchronous: no I/O. */
export interface OrchestrationPolicy {
  evaluate(request: SpawnRequest): PolicyDecision;
}

/** Nest injection token for the policy. */
export const ORCHESTRATION_POLICY = Symbol('ORCHESTRATION_POLICY');
