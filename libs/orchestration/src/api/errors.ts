export const errorCodes = [
  'not_found',
  'parent_not_found',
  'invalid_parent',
  'parent_not_running',
  'already_exists',
  'unsupported_option',
  'invalid_option',
  'invalid_session_target',
  'invalid_thread_target',
  'session_required_for_thread',
  'thread_not_found',
  'session_not_found',
  'session_closed',
  'thread_closed',
  'policy_denied',
  'invalid_timeout',
  'timeout',
  'invalid_status_transition',
  'conflict',
  'store_unavailable',
  // Raised by the transports (HTTP) before a request reaches the facade.
  'payload_too_large',
  'unauthorized',
  'too_many_requests',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
export type ErrorDetails = { readonly [key: string]: unknown };

/** A domain error as a value (inside `Either`). */
export interface DomainError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

export function domainError(code: ErrorCode, message: string, details: ErrorDetails = {}): DomainError {
  return { code, message, details };
}

/** What the facade rejects with. */
export class OrchestratorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'OrchestratorError';
  }

  static from(error: DomainError): OrchestratorError {
    return new OrchestratorError(error.code, error.message, error.details);
  }

  toJSON(): DomainError {
    return { code: this.code, message: this.message, details: this.details };
  }
}
