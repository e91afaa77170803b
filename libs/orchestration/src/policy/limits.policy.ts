import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { defaultValidationLimits, describeFailure, labelCodec, nonNegativeIntegerCodec, objectCodec } from '../validation/index.js';
import type { OrchestrationPolicy, SpawnRequest } from './orchestration-policy.js';

const kindList = t.array(labelCodec(defaultValidationLimits), 'a list of kinds');

const limitsConfigCodec = objectCodec('LimitsPolicy', {
  required: {},
  optional: {
    maxDepth: nonNegativeIntegerCodec,
    maxChildrenPerRun: nonNegativeIntegerCodec,
    maxRunningDescendantsPerRoot: nonNegativeIntegerCodec,
    allowedKinds: kindList,
    deniedKinds: kindList,
  },
});

/** Every limit is optional; an absent limit does not apply. `0` allows no child at all. */
export type LimitsPolicyConfig = t.TypeOf<typeof limitsConfigCodec>;
export type PolicyLimit = keyof LimitsPolicyConfig;

export type LimitsDecision = { readonly allowed: true } | { readonly allowed: false; readonly limit: PolicyLimit; readonly reason: string };

const allowed: LimitsDecision = { allowed: true };

function deny(limit: PolicyLimit, reason: string): LimitsDecision {
  return { allowed: false, limit, reason };
}

/**
 * Limits a platform needs against runaway agent trees. Kind rules are checked first (a
 * denied kind wins over an allowed one), then depth, children per run and running
 * descendants per root; the first limit broken is the one reported.
 */
export class LimitsPolicy implements OrchestrationPolicy {
  private readonly config: LimitsPolicyConfig;

  /** Checks the configuration at run time too (it may come from env or JSON) and throws naming the bad field. */
  constructor(config: LimitsPolicyConfig) {
    const decoded = limitsConfigCodec.decode(config);
    if (isLeft(decoded)) {
      const failure = describeFailure(decoded.left, { fallback: 'config' });
      throw new Error(`Invalid LimitsPolicy configuration: ${failure.field} ${failure.reason}`);
    }
    const contradicted = decoded.right.allowedKinds?.find((kind) => decoded.right.deniedKinds?.includes(kind));
    if (contradicted !== undefined) {
      throw new Error(`Invalid LimitsPolicy configuration: kind ${JSON.stringify(contradicted)} is in both allowedKinds and deniedKinds`);
    }
    this.config = decoded.right;
  }

  evaluate(request: SpawnRequest): LimitsDecision {
    const { maxDepth, maxChildrenPerRun, maxRunningDescendantsPerRoot, allowedKinds, deniedKinds } = this.config;
    const { kind, parent, tree } = request;
    if (deniedKinds?.includes(kind)) {
      return deny('deniedKinds', `kind ${JSON.stringify(kind)} is in deniedKinds`);
    }
    if (allowedKinds !== undefined && !allowedKinds.includes(kind)) {
      return deny('allowedKinds', `kind ${JSON.stringify(kind)} is not in allowedKinds (${allowedKinds.join(', ') || 'none'})`);
    }
    const childDepth = tree.parentDepth + 1;
    if (maxDepth !== undefined && childDepth > maxDepth) {
      return deny('maxDepth', `depth ${childDepth} would exceed maxDepth ${maxDepth}`);
    }
    if (maxChildrenPerRun !== undefined && tree.parentChildCount + 1 > maxChildrenPerRun) {
      return deny(
        'maxChildrenPerRun',
        `run ${parent.runId} has ${tree.parentChildCount} children; child ${tree.parentChildCount + 1} would exceed maxChildrenPerRun ${maxChildrenPerRun}`,
      );
    }
    if (maxRunningDescendantsPerRoot !== undefined && tree.runningDescendantsOfRoot + 1 > maxRunningDescendantsPerRoot) {
      return deny(
        'maxRunningDescendantsPerRoot',
        `root ${tree.rootRunId} has ${tree.runningDescendantsOfRoot} running descendants; ${tree.runningDescendantsOfRoot + 1} would exceed maxRunningDescendantsPerRoot ${maxRunningDescendantsPerRoot}`,
      );
    }
    return allowed;
  }
}
