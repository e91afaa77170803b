import pg from 'pg';

/** A node-postgres pool the bench owns, lends to a peer and ends itself. */
export interface OwnedPgPool {
  readonly pool: pg.Pool;
  /** Errors the pool's idle connections raised (e.g. "terminating connection due to administrator command"). */
  readonly idleErrors: readonly Error[];
  end(): Promise<void>;
}

/**
 * A pool with an `'error'` listener from the start. An idle connection that the server ends (its
 * database dropped, the server restarted) makes a pool emit `'error'`, and an `'error'` event with no
 * listener ends the whole process: the bench once lost every section's figures that way.
 */
export function ownedPgPool(connectionString: string, max = 10): OwnedPgPool {
  const pool = new pg.Pool({ connectionString, max });
  const idleErrors: Error[] = [];
  let ended: Promise<void> | undefined;
  // Once ended, the pool's connections are on their way out: node-postgres resolves end() before their
  // sockets close, so a database dropped right after may still end one. Heard, not counted.
  pool.on('error', (error) => {
    if (ended === undefined) idleErrors.push(error);
  });
  return {
    pool,
    idleErrors,
    // end() twice rejects in node-postgres; a peer's close and the bench's cleanup may both call it.
    end: () => (ended ??= pool.end()),
  };
}
