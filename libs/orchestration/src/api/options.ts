import type * as t from 'io-ts';
import type { JsonObject } from './model.js';
import type { InputCodecs } from '../validation/option-codecs.js';

// The options of the API are the types of their codecs (validation/option-codecs.ts), where each
// shape is written once; only the unions the codecs are declared with are written here.

type OptionsOf<K extends keyof InputCodecs> = Readonly<t.TypeOf<InputCodecs[K]>>;

/** Every command may carry a `commandId`: the same command sent twice appends nothing the second time. */
export type CommandOptions = OptionsOf<'command'>;
export type StartRunOptions = OptionsOf<'startRun'>;

export type SessionTarget = 'inherit' | 'none' | string | { readonly open: { readonly metadata?: JsonObject }; readonly stopOnCancel?: boolean };
export type ThreadTarget = 'inherit' | 'none' | string | { readonly threadId: string } | { readonly start: { readonly name?: string; readonly metadata?: JsonObject } };

export type SpawnOptions = OptionsOf<'spawn'>;
/** `input` is refused: the task is the input. */
export type DelegateOptions = OptionsOf<'delegate'>;
export type CollectOptions = OptionsOf<'collect'>;
export type OpenSessionOptions = OptionsOf<'openSession'>;
export type StartThreadOptions = OptionsOf<'startThread'>;
export type StartStepOptions = OptionsOf<'startStep'>;

/** A run id, or a run object carrying `runId`. */
export type ParentRef = string | { readonly runId: string };

/** Payloads `listRuns` can add to each run; `output` brings `error` and `cancelReason` too. */
export type ListInclude = 'metadata' | 'input' | 'output';

/**
 * Filters of `listRuns`: every one optional, all of them must match. Timestamps are exclusive; `limit`
 * defaults to 100. The codec decodes `cursor` (the `nextCursor` of the previous page) to its key, so
 * the caller's side of it is stated here.
 */
export type ListRunsOptions = Omit<OptionsOf<'listRuns'>, 'cursor' | 'include'> & { readonly cursor?: string; readonly include?: readonly ListInclude[] };
