import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { DomainError } from '../api/errors.js';
import type {
  CollectOptions,
  CommandOptions,
  DelegateOptions,
  OpenSessionOptions,
  SpawnOptions,
  StartRunOptions,
  StartStepOptions,
  StartThreadOptions,
} from '../api/options.js';
import type { RunListQuery } from '@runtree/read-store';
import { inputCodecs, type InputCodecs } from './option-codecs.js';
import { decodeInput, inputError } from './report.js';
import { defaultValidationLimits, type ValidationLimits } from './validation-limits.js';

type OptionsCodecName = 'command' | 'startRun' | 'spawn' | 'delegate' | 'collect' | 'openSession' | 'startThread' | 'startStep' | 'listRuns';

/** Options are optional: `undefined` means `{}`. Anything else (`null` included) must be an options object. */
function parseOptions<K extends OptionsCodecName>(name: K, u: unknown, limits: ValidationLimits): E.Either<DomainError, t.TypeOf<InputCodecs[K]>> {
  return decodeInput(inputCodecs(limits)[name] as t.Decoder<unknown, t.TypeOf<InputCodecs[K]>>, u === undefined ? {} : u);
}

export function parseStartRunOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, StartRunOptions> {
  return pipe(
    parseOptions('startRun', u, limits),
    E.filterOrElse(
      (options) => options.threadId === undefined || options.sessionId !== undefined,
      () => inputError({ code: 'session_required_for_thread', field: 'threadId', reason: 'needs a sessionId: a thread belongs to a session' }),
    ),
  );
}

export function parseSpawnOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, SpawnOptions> {
  return parseOptions('spawn', u, limits);
}

export function parseDelegateOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, DelegateOptions> {
  return parseOptions('delegate', u, limits);
}

/** The defaults of the spec are applied: steps and journal in, descendants out. */
export function parseCollectOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, Required<CollectOptions>> {
  return pipe(
    parseOptions('collect', u, limits),
    E.map((options) => ({ includeSteps: true, includeJournal: true, includeDescendants: false, ...options })),
  );
}

export function parseOpenSessionOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, OpenSessionOptions> {
  return parseOptions('openSession', u, limits);
}

export function parseStartThreadOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, StartThreadOptions> {
  return parseOptions('startThread', u, limits);
}

export function parseStartStepOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, StartStepOptions> {
  return parseOptions('startStep', u, limits);
}

export function parseCommandOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, CommandOptions> {
  return parseOptions('command', u, limits);
}

/** The default page size of `listRuns` when `limit` is not given. */
export const DEFAULT_LIST_LIMIT = 100;

/** A listing request as the read store takes it: the cursor turned into its listing key, the defaults applied. */
export function parseListRunsOptions(u: unknown, limits: ValidationLimits = defaultValidationLimits): E.Either<DomainError, RunListQuery> {
  return pipe(
    parseOptions('listRuns', u, limits),
    E.filterOrElse(
      (options) => options.createdAfter === undefined || options.createdBefore === undefined || options.createdAfter < options.createdBefore,
      () => inputError({ code: 'invalid_option', field: 'createdBefore', reason: 'must be later than createdAfter' }),
    ),
    E.map(({ cursor, include = [], limit, ...filters }) => ({
      ...filters,
      limit: limit ?? Math.min(DEFAULT_LIST_LIMIT, limits.maxListLimit),
      ...(cursor !== undefined ? { afterKey: cursor } : {}),
      include: { metadata: include.includes('metadata'), input: include.includes('input'), output: include.includes('output') },
    })),
  );
}
