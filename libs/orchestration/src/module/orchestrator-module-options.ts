import type { EventStore } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import type { OrchestrationPolicy } from '../policy/orchestration-policy.js';
import type { OrchestratorObserver } from '../facade/orchestrator-observer.js';
import type { ValidationLimits } from '../validation/validation-limits.js';
import type { MemoryBudget } from '../write/memory-budget.js';
import type { StoreRetryOptions } from '../write/store-retry.js';

export type StoreOptions =
  /** The embedded default: a file path (created with its folders) or `:memory:`. */
  | { readonly kind: 'sqlite'; readonly path: string; readonly synchronous?: 'FULL' | 'NORMAL' | 'OFF' }
  | { readonly kind: 'esdb'; readonly connectionString: string }
  /** A store the caller opened and keeps ownership of (it is not closed with the module). */
  | { readonly kind: 'instance'; readonly store: EventStore };

/** Where the read models live. */
export type ReadStoreOptions =
  /** Embedded: a file path (created with its folders) or `:memory:`. One process per file. */
  | { readonly kind: 'sqlite'; readonly path: string }
  /**
   * Shared by several instances (on one EventStoreDB): one of them projects at a time (an advisory
   * lock), every one reads. `schema` (default `runtree`) holds the tables.
   */
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string }
  /** A read store the caller opened and keeps ownership of. */
  | { readonly kind: 'instance'; readonly store: ReadStore };

export interface OrchestratorModuleOptions {
  readonly store: StoreOptions;
  /**
   * Default: SQLite beside a SQLite journal (`runtree.db` → `runtree.read.db`; `:memory:` stays in
   * memory), and SQLite in memory beside any other journal (rebuilt from the journal at each start).
   */
  readonly readStore?: ReadStoreOptions;
  /** Bytes the stream cache and the await watches may hold. Default 16 MiB and 64 MiB. */
  readonly memory?: Partial<MemoryBudget>;
  /** How long a command waits for the read models to show its writes before it answers `store_unavailable`. Default 10,000 ms. */
  readonly readYourWritesTimeoutMs?: number;
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
