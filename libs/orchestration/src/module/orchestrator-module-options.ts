import type { EventStore } from '@runtree/event-store';
import type { OrchestrationPolicy } from '../policy/orchestration-policy.js';
import type { OrchestratorObserver } from '../facade/orchestrator-observer.js';
import type { ValidationLimits } from '../validation/validation-limits.js';
import type { StoreRetryOptions } from '../write/store-retry.js';

export type StoreOptions =
  /** The embedded default: a file path (created with its folders) or `:memory:`. */
  | { readonly kind: 'sqlite'; readonly path: string; readonly synchronous?: 'FULL' | 'NORMAL' | 'OFF' }
  | { readonly kind: 'esdb'; readonly connectionString: string }
  /** A store the caller opened and keeps ownership of (it is not closed with the module). */
  | { readonly kind: 'instance'; readonly store: EventStore };

export interface OrchestratorModuleOptions {
  readonly store: StoreOptions;
  /** Default: allow everything. */
  readonly policy?: OrchestrationPolicy;
  /** Injected so replays and tests are deterministic. Default: the system clock. */
  readonly clock?: () => Date;
  /** Generates run/session/thread/step/command ids. Default: random UUIDs. */
  readonly generateId?: () => string;
  /** Sees every operation end (metrics, tracing). */
  readonly observer?: OrchestratorObserver;
  /** Finish interrupted spawns and cancellations when the module starts. Default true. */
  readonly recoverOnStart?: boolean;
  /** Size and shape limits of every input; unset ones keep `defaultValidationLimits`. */
  readonly limits?: Partial<ValidationLimits>;
  /**
   * Retries of a store that failed, before a command answers `store_unavailable`. Default: 4 tries
   * within 1.5 s, waiting 100, 200, 400 ms (`{ attempts, firstDelayMs, maxDelayMs, deadlineMs }`).
   */
  readonly storeRetry?: StoreRetryOptions;
}
