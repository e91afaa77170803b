/** Nest injection tokens of the orchestration module. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** `() => Date`: the only source of time in the domain, so replays and tests are deterministic. */
export const CLOCK = Symbol('CLOCK');
/** `() => string`: the only source of new ids. */
export const ID_GENERATOR = Symbol('ID_GENERATOR');
export const MODULE_OPTIONS = Symbol('ORCHESTRATOR_MODULE_OPTIONS');
/** The `ValidationLimits` every input is parsed with: the defaults with the module's `limits` over them. */
export const VALIDATION_LIMITS = Symbol('VALIDATION_LIMITS');

export type Clock = () => Date;
export type IdGenerator = () => string;
/** The `ReadStore` the read models live in. */
export const READ_STORE = Symbol('READ_STORE');
/** `ProjectionOptions`: how long read-your-writes waits. */
export const PROJECTION_OPTIONS = Symbol('PROJECTION_OPTIONS');
/** `MemoryBudget`: the bytes the stream cache and the await watches may hold. */
export const MEMORY_BUDGET = Symbol('MEMORY_BUDGET');
