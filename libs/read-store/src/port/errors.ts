/** The read store cannot be reached or refused the work: callers answer `store_unavailable`. */
export class ReadStoreUnavailableError extends Error {
  readonly code = 'store_unavailable' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadStoreUnavailableError';
  }
}

/** The schema in the database is newer than this build knows: refuse rather than misread it. */
export class ReadStoreSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadStoreSchemaError';
  }
}
