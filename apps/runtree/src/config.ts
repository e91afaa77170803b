import { resolve } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import type { StoreOptions } from '@runtree/orchestration';

const PortFromString = new t.Type<number, string, unknown>(
  'a TCP port (1-65535)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const port = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return port >= 0 && port <= 65535 ? t.success(port) : t.failure(u, c, 'must be a TCP port (0-65535)');
  },
  String,
);

/** The environment Runtree reads; defaults run on a fresh machine with nothing else running. */
const RuntreeEnvCodec = t.partial({
  RUNTREE_STORE: t.keyof({ sqlite: null, esdb: null }),
  RUNTREE_SQLITE_PATH: t.string,
  EVENTSTORE_CONNECTION_STRING: t.string,
  RUNTREE_HTTP_PORT: PortFromString,
  RUNTREE_HTTP_HOST: t.string,
  RUNTREE_NATS_URL: t.string,
  RUNTREE_RABBITMQ_URL: t.string,
  RUNTREE_BUS_PREFIX: t.string,
});

export interface RuntreeConfig {
  readonly store: 'sqlite' | 'esdb';
  readonly sqlitePath: string;
  readonly eventStoreConnectionString?: string;
  readonly httpPort: number;
  /** Interface to listen on; 127.0.0.1 unless set (a container sets 0.0.0.0). */
  readonly httpHost: string;
  /** A transport whose URL is unset is off. */
  readonly natsUrl?: string;
  readonly rabbitmqUrl?: string;
  /** Prefix of message patterns, subjects, queues and exchanges (`runtree` → `runtree.run.start`). */
  readonly busPrefix: string;
}

export type ConfigResult = { readonly ok: true; readonly value: RuntreeConfig } | { readonly ok: false; readonly error: string };

export function loadRuntreeConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const decoded = RuntreeEnvCodec.decode(env);
  if (E.isLeft(decoded)) {
    const failure = decoded.left[0];
    const key = failure?.context.map((entry) => entry.key).filter(Boolean).join('.');
    return { ok: false, error: `${key} ${failure?.message ?? `is invalid (got ${JSON.stringify(failure?.value)})`}` };
  }
  const vars = decoded.right;
  const store = vars.RUNTREE_STORE ?? 'sqlite';
  if (store === 'esdb' && !vars.EVENTSTORE_CONNECTION_STRING) {
    return { ok: false, error: 'RUNTREE_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)' };
  }
  if (vars.RUNTREE_BUS_PREFIX !== undefined && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(vars.RUNTREE_BUS_PREFIX)) {
    return { ok: false, error: 'RUNTREE_BUS_PREFIX must be dot-separated words of letters, digits, _ and -' };
  }
  return {
    ok: true,
    value: {
      store,
      sqlitePath: vars.RUNTREE_SQLITE_PATH ?? resolve('data', 'runtree.db'),
      httpPort: vars.RUNTREE_HTTP_PORT ?? 3000,
      httpHost: vars.RUNTREE_HTTP_HOST ?? '127.0.0.1',
      busPrefix: vars.RUNTREE_BUS_PREFIX ?? 'runtree',
      ...(vars.EVENTSTORE_CONNECTION_STRING ? { eventStoreConnectionString: vars.EVENTSTORE_CONNECTION_STRING } : {}),
      ...(vars.RUNTREE_NATS_URL ? { natsUrl: vars.RUNTREE_NATS_URL } : {}),
      ...(vars.RUNTREE_RABBITMQ_URL ? { rabbitmqUrl: vars.RUNTREE_RABBITMQ_URL } : {}),
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
