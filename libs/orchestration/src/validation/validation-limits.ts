/** Size and shape limits applied to every input before it reaches a decider. */
export interface ValidationLimits {
  /** Longest id (run, step, session, thread, command ids): ids become stream names such as `run-<id>`. */
  readonly maxIdLength: number;
  /** Longest kind or name, in characters (code points). */
  readonly maxLabelLength: number;
  /** Largest `metadata` object, in UTF-8 bytes of its JSON text. */
  readonly maxMetadataBytes: number;
  /** Largest `input` / `output` / `error` / `task` / cancel reason, in UTF-8 bytes of its JSON text. */
  readonly maxPayloadBytes: number;
  /** Most objects/arrays nested inside each other in a JSON value: deeper values would exhaust the stack of JSON walkers downstream. */
  readonly maxJsonDepth: number;
  /** Longest `await` timeout, in milliseconds. */
  readonly maxTimeoutMs: number;
  /** Most runs in one `listRuns` page. */
  readonly maxListLimit: number;
}

export const defaultValidationLimits: ValidationLimits = Object.freeze({
  maxIdLength: 200,
  maxLabelLength: 200,
  maxMetadataBytes: 64 * 1024,
  maxPayloadBytes: 1024 * 1024,
  maxJsonDepth: 100,
  maxTimeoutMs: 24 * 60 * 60 * 1000,
  maxListLimit: 1000,
});

/**
 * The defaults with the given limits over them. A limit that is not a positive integer throws an
 * error naming it, so a bad option stops the module at start-up rather than refusing every input.
 */
export function resolveValidationLimits(overrides: Partial<ValidationLimits> = {}): ValidationLimits {
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in defaultValidationLimits)) throw new Error(`limits.${name} is not a validation limit (known: ${Object.keys(defaultValidationLimits).join(', ')})`);
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new Error(`limits.${name} must be a positive integer (got ${String(value)})`);
  }
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return Object.freeze({ ...defaultValidationLimits, ...Object.fromEntries(defined) });
}
