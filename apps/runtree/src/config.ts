import { resolve } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import type { StoreOptions } from '@runtree/orchestration';

/** The environment Runtree reads; defaults run on a fresh machine with nothing else running. */
const RuntreeEnvCodec = t.partial({
  RUNTREE_STORE: t.keyof({ sqlite: null, esdb: null }),
  RUNTREE_SQLITE_PATH: t.string,
  EVENTSTORE_CONNECTION_STRING: t.string,
});

export interface RuntreeConfig {
  readonly store: 'sqlite' | 'esdb';
  readonly sqlitePath: string;
  readonly eventStoreConnectionString?: string;
}

export function loadRuntreeConfig(env: NodeJS.ProcessEnv): { ok: true; value: RuntreeConfig } | { ok: false; error: string } {
  const decoded = RuntreeEnvCodec.decode(env);
  if (E.isLeft(decoded)) {
    const failure = decoded.left[0];
    const key = failure?.context.map((entry) => entry.key).filter(Boolean).join('.');
    return { ok: false, error: `${key} must be one of sqlite, esdb (got ${JSON.stringify(failure?.value)})` };
  }
  const vars = decoded.right;
  const store = vars.RUNTREE_STORE ?? 'sqlite';
  if (store === 'esdb' && !vars.EVENTSTORE_CONNECTION_STRING) {
    return { ok: false, error: 'RUNTREE_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)' };
  }
  return {
    ok: true,
    value: {
      store,
      sqlitePath: vars.RUNTREE_SQLITE_PATH ?? resolve('data', 'runtree.db'),
      ...(vars.EVENTSTORE_CONNECTION_STRING ? { eventStoreConnectionString: vars.EVENTSTORE_CONNECTION_STRING } : {}),
    },
  };
}

export function storeOptionsOf(config: RuntreeConfig): StoreOptions {
  return config.store === 'esdb'
    ? { kind: 'esdb', connectionString: config.eventStoreConnectionString! }
    : { kind: 'sqlite', path: config.sqlitePath };
}

export function describeStore(config: RuntreeConfig): string {
  return config.store === 'esdb' ? `EventStoreDB at ${config.eventStoreConnectionString}` : `the embedded SQLite store at ${config.sqlitePath}`;
}
