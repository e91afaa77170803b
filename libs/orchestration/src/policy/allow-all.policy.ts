import type { OrchestrationPolicy, PolicyDecision, SpawnRequest } from './orchestration-policy.js';

/** The default policy: every spawn and delegation may happen. */
export class AllowAllPolicy implements OrchestrationPolicy {
  evaluate(_request: SpawnRequest): PolicyDecision {
    return { allowed: true };
  }
}
