import { resolve } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { defaultValidationLimits, siblingReadStorePath, type MemoryBudget, type ReadStoreOptions, type StoreOptions, type ValidationLimits } from '@runtree/orchestration';
import { hideUrlCredentials } from './security/secrets.js';

const PortFromString = new t.Type<number, string, unknown>(
  'a TCP port (1-65535)',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const port = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return port >= 0 && port <= 65535 ? t.success(port) : t.failure(u, c, 'must be a TCP port (0-65535)');
  },
  String,
);

/** Digits only, at least 1: every limit. */
const PositiveIntegerFromString = new t.Type<number, string, unknown>(
  'a positive integer',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const value = typeof u === 'string' && /^\d+$/.test(u) ? Number(u) : NaN;
    return Number.isSafeInteger(value) && value > 0 ? t.success(value) : t.failure(u, c, 'must be a positive integer');
  },
  String,
);

/** `true` or `false`, nothing else: a typo must not quietly pick a mode. */
const BooleanFromString = new t.Type<boolean, string, unknown>(
  'true or false',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => (u === 'true' ? t.success(true) : u === 'false' ? t.success(false) : t.failure(u, c, 'must be true or false')),
  String,
);

/** Ids the service creates are UUIDs: a shorter id limit would refuse them. */
export const MIN_ID_LENGTH = 36;

/** The shortest token accepted: a guessable token is worse than none, since it looks like protection. */
export const MIN_TOKEN_LENGTH = 16;

/** A bearer token: never echoed in the error, since it is a secret. */
const TokenFromString = new t.Type<string, string, unknown>(
  'a bearer token',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u !== 'string' || u.length < MIN_TOKEN_LENGTH) return t.failure(u, c, `must be at least ${MIN_TOKEN_LENGTH} characters long`);
    // RFC 6750 token68 characters, so it can be sent as `Authorization: Bearer <token>` unchanged.
    if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(u)) return t.failure(u, c, 'may only hold letters, digits and - . _ ~ + / (then = padding)');
    return t.success(u);
  },
  String,
);

/** The environment Runtree reads; defaults run on a fresh machine with nothing else running. */
const RuntreeEnvCodec = t.partial({
  RUNTREE_STORE: t.keyof({ sqlite: null, esdb: null }),
  RUNTREE_SQLITE_PATH: t.string,
  EVENTSTORE_CONNECTION_STRING: t.string,
  RUNTREE_READ_STORE: t.keyof({ sqlite: null, postgres: null }),
  RUNTREE_READ_SQLITE_PATH: t.string,
  RUNTREE_POSTGRES_URL: t.string,
  RUNTREE_POSTGRES_SCHEMA: t.string,
  RUNTREE_STREAM_CACHE_BYTES: PositiveIntegerFromString,
  RUNTREE_AWAIT_MEMORY_BYTES: PositiveIntegerFromString,
  RUNTREE_LIST_PAGE_SIZE: PositiveIntegerFromString,
  RUNTREE_HTTP_PORT: PortFromString,
  RUNTREE_HTTP_HOST: t.string,
  RUNTREE_NATS_URL: t.string,
  RUNTREE_NATS_JETSTREAM: BooleanFromString,
  RUNTREE_RABBITMQ_URL: t.string,
  RUNTREE_BUS_PREFIX: t.string,
  RUNTREE_MAX_BODY_BYTES: PositiveIntegerFromString,
  RUNTREE_MAX_METADATA_BYTES: PositiveIntegerFromString,
  RUNTREE_MAX_PAYLOAD_BYTES: PositiveIntegerFromString,
  RUNTREE_MAX_ID_LENGTH: PositiveIntegerFromString,
  RUNTREE_MAX_AWAIT_TIMEOUT_MS: PositiveIntegerFromString,
  RUNTREE_JOURNAL_PAGE_SIZE: PositiveIntegerFromString,
  RUNTREE_MAX_FOLLOWERS_PER_CLIENT: PositiveIntegerFromString,
  RUNTREE_MAX_AWAITERS_PER_CLIENT: PositiveIntegerFromString,
  RUNTREE_API_TOKEN: TokenFromString,
  RUNTREE_ADMIN_TOKEN: TokenFromString,
  RUNTREE_LOG_LEVEL: t.keyof({ trace: null, debug: null, info: null, warn: null, error: null, fatal: null, silent: null }),
  RUNTREE_LOG_FORMAT: t.keyof({ json: null, pretty: null }),
  RUNTREE_OTEL: t.keyof({ on: null, off: null }),
  OTEL_EXPORTER_OTLP_ENDPOINT: t.string,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: t.string,
});

/** What the service allows one request or one client; the input limits go to `OrchestratorModule` as `limits`. */
export interface ServiceLimits {
  readonly validation: ValidationLimits;
  /** Largest JSON request body, in bytes; a larger one is answered 413 `payload_too_large`. */
  readonly maxBodyBytes: number;
  /** Most journal entries in one `GET /runs/:runId/journal` answer (and the largest `limit`). */
  readonly journalPageSize: number;
  /** Most journal tails (`follow=true`) one client address holds open at once. */
  readonly maxFollowersPerClient: number;
  /** Most `await` requests one client address has waiting at once. */
  readonly maxAwaitersPerClient: number;
}

export const defaultServiceLimits: ServiceLimits = Object.freeze({
  validation: defaultValidationLimits,
  // Room for a payload at its limit plus metadata and the rest of the body.
  maxBodyBytes: 2 * 1024 * 1024,
  journalPageSize: 1000,
  maxFollowersPerClient: 16,
  maxAwaitersPerClient: 256,
});

/** How the service logs: pino's levels; JSON lines, or pretty text for a person at a terminal. */
export interface LogSettings {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  readonly format: 'json' | 'pretty';
}

export interface RuntreeConfig {
  readonly store: 'sqlite' | 'esdb';
  readonly sqlitePath: string;
  readonly eventStoreConnectionString?: string;
  /** Where the read models live: the embedded file, or PostgreSQL shared by several instances. */
  readonly readStore: ReadStoreOptions;
  readonly memory: Partial<MemoryBudget>;
  readonly httpPort: number;
  /** Interface to listen on; 127.0.0.1 unless set (a container sets 0.0.0.0). */
  readonly httpHost: string;
  /** A transport whose URL is unset is off. */
  readonly natsUrl?: string;
  /** Events on NATS count as published once a JetStream stream stored them, not once the server took them. */
  readonly natsJetStream: boolean;
  readonly rabbitmqUrl?: string;
  /** Prefix of message patterns, subjects, queues and exchanges (`runtree` → `runtree.run.start`). */
  readonly busPrefix: string;
  readonly limits: ServiceLimits;
  /** When set, every API route needs `Authorization: Bearer <apiToken>` (or the admin token). */
  readonly apiToken?: string;
  /** Admin routes are off unless set; then they need `Authorization: Bearer <adminToken>`. */
  readonly adminToken?: string;
  readonly log: LogSettings;
  /** Traces are exported over OTLP (the SDK reads the standard `OTEL_*` variables); off: the SDK is not loaded. */
  readonly tracing: boolean;
}

export type ConfigResult = { readonly ok: true; readonly value: RuntreeConfig } | { readonly ok: false; readonly error: string };

type RuntreeEnv = t.TypeOf<typeof RuntreeEnvCodec>;

function limitsOf(vars: RuntreeEnv): E.Either<string, ServiceLimits> {
  const defaults = defaultServiceLimits;
  const validation: ValidationLimits = {
    ...defaults.validation,
    ...(vars.RUNTREE_MAX_METADATA_BYTES !== undefined ? { maxMetadataBytes: vars.RUNTREE_MAX_METADATA_BYTES } : {}),
    ...(vars.RUNTREE_MAX_PAYLOAD_BYTES !== undefined ? { maxPayloadBytes: vars.RUNTREE_MAX_PAYLOAD_BYTES } : {}),
    ...(vars.RUNTREE_MAX_ID_LENGTH !== undefined ? { maxIdLength: vars.RUNTREE_MAX_ID_LENGTH } : {}),
    ...(vars.RUNTREE_MAX_AWAIT_TIMEOUT_MS !== undefined ? { maxTimeoutMs: vars.RUNTREE_MAX_AWAIT_TIMEOUT_MS } : {}),
    ...(vars.RUNTREE_LIST_PAGE_SIZE !== undefined ? { maxListLimit: vars.RUNTREE_LIST_PAGE_SIZE } : {}),
  };
  if (validation.maxIdLength < MIN_ID_LENGTH) {
    return E.left(`RUNTREE_MAX_ID_LENGTH must be at least ${MIN_ID_LENGTH}: the ids Runtree creates are UUIDs of ${MIN_ID_LENGTH} characters`);
  }
  const maxBodyBytes = vars.RUNTREE_MAX_BODY_BYTES ?? Math.max(defaults.maxBodyBytes, validation.maxPayloadBytes + validation.maxMetadataBytes + 64 * 1024);
  if (maxBodyBytes < validation.maxPayloadBytes) {
    return E.left(`RUNTREE_MAX_BODY_BYTES (${maxBodyBytes}) must be at least RUNTREE_MAX_PAYLOAD_BYTES (${validation.maxPayloadBytes}): a payload within its limit could not be sent over HTTP`);
  }
  return E.right({
    validation,
    maxBodyBytes,
    journalPageSize: vars.RUNTREE_JOURNAL_PAGE_SIZE ?? defaults.journalPageSize,
    maxFollowersPerClient: vars.RUNTREE_MAX_FOLLOWERS_PER_CLIENT ?? defaults.maxFollowersPerClient,
    maxAwaitersPerClient: vars.RUNTREE_MAX_AWAITERS_PER_CLIENT ?? defaults.maxAwaitersPerClient,
  });
}

/**
 * Tracing is on with `RUNTREE_OTEL=on`, or when an OTLP endpoint is set and `RUNTREE_OTEL` is not `off`.
 * `stdoutIsTerminal` picks the log format when `RUNTREE_LOG_FORMAT` is unset: pretty for a person, JSON lines for a file or a collector.
 */
export function loadRuntreeConfig(env: NodeJS.ProcessEnv, stdoutIsTerminal = false): ConfigResult {
  const decoded = RuntreeEnvCodec.decode(env);
  if (E.isLeft(decoded)) {
    const failure = decoded.left[0];
    const key = failure?.context.map((entry) => entry.key).filter(Boolean).join('.');
    return { ok: false, error: `${key} ${failure?.message ?? `is invalid (got ${JSON.stringify(failure?.value)})`}` };
  }
  const vars = decoded.right;
  const store = vars.RUNTREE_STORE ?? 'sqlite';
  const sqlitePath = vars.RUNTREE_SQLITE_PATH ?? resolve('data', 'runtree.db');
  if (store === 'esdb' && !vars.EVENTSTORE_CONNECTION_STRING) {
    return { ok: false, error: 'RUNTREE_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)' };
  }
  const readStore = readStoreOf(vars);
  if (E.isLeft(readStore)) return { ok: false, error: readStore.left };
  if (vars.RUNTREE_BUS_PREFIX !== undefined && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(vars.RUNTREE_BUS_PREFIX)) {
    return { ok: false, error: 'RUNTREE_BUS_PREFIX must be dot-separated words of letters, digits, _ and -' };
  }
  if (vars.RUNTREE_NATS_JETSTREAM === true && !vars.RUNTREE_NATS_URL) {
    return { ok: false, error: 'RUNTREE_NATS_JETSTREAM=true needs RUNTREE_NATS_URL: there is no NATS to publish to' };
  }
  if (vars.RUNTREE_API_TOKEN !== undefined && vars.RUNTREE_API_TOKEN === vars.RUNTREE_ADMIN_TOKEN) {
    return { ok: false, error: 'RUNTREE_ADMIN_TOKEN must differ from RUNTREE_API_TOKEN: every API client would be an admin' };
  }
  const limits = limitsOf(vars);
  if (E.isLeft(limits)) return { ok: false, error: limits.left };
  return {
    ok: true,
    value: {
      store,
      sqlitePath,
      readStore: readStore.right,
      memory: {
        ...(vars.RUNTREE_STREAM_CACHE_BYTES !== undefined ? { streamCacheBytes: vars.RUNTREE_STREAM_CACHE_BYTES } : {}),
        ...(vars.RUNTREE_AWAIT_MEMORY_BYTES !== undefined ? { awaitBytes: vars.RUNTREE_AWAIT_MEMORY_BYTES } : {}),
      },
      httpPort: vars.RUNTREE_HTTP_PORT ?? 3000,
      httpHost: vars.RUNTREE_HTTP_HOST ?? '127.0.0.1',
      natsJetStream: vars.RUNTREE_NATS_JETSTREAM ?? false,
      busPrefix: vars.RUNTREE_BUS_PREFIX ?? 'runtree',
      limits: limits.right,
      log: { level: vars.RUNTREE_LOG_LEVEL ?? 'info', format: vars.RUNTREE_LOG_FORMAT ?? (stdoutIsTerminal ? 'pretty' : 'json') },
      tracing: vars.RUNTREE_OTEL === 'on' || (vars.RUNTREE_OTEL === undefined && (vars.OTEL_EXPORTER_OTLP_ENDPOINT ?? vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined),
      ...(vars.EVENTSTORE_CONNECTION_STRING ? { eventStoreConnectionString: vars.EVENTSTORE_CONNECTION_STRING } : {}),
      ...(vars.RUNTREE_NATS_URL ? { natsUrl: vars.RUNTREE_NATS_URL } : {}),
      ...(vars.RUNTREE_RABBITMQ_URL ? { rabbitmqUrl: vars.RUNTREE_RABBITMQ_URL } : {}),
      ...(vars.RUNTREE_API_TOKEN ? { apiToken: vars.RUNTREE_API_TOKEN } : {}),
      ...(vars.RUNTREE_ADMIN_TOKEN ? { adminToken: vars.RUNTREE_ADMIN_TOKEN } : {}),
    },
  };
}

/**
 * The read store: SQLite beside the SQLite journal by default (`runtree.read.db`, or
 * `RUNTREE_READ_SQLITE_PATH`), or PostgreSQL (`RUNTREE_READ_STORE=postgres` with `RUNTREE_POSTGRES_URL`).
 */
function readStoreOf(vars: RuntreeEnv): E.Either<string, ReadStoreOptions> {
  const kind = vars.RUNTREE_READ_STORE ?? 'sqlite';
  if (kind === 'sqlite') {
    if (vars.RUNTREE_POSTGRES_URL !== undefined) return E.left('RUNTREE_POSTGRES_URL is set but RUNTREE_READ_STORE is not postgres: set RUNTREE_READ_STORE=postgres to use it');
    const journal = vars.RUNTREE_SQLITE_PATH ?? resolve('data', 'runtree.db');
    return E.right({ kind: 'sqlite', path: vars.RUNTREE_READ_SQLITE_PATH ?? siblingReadStorePath(journal) });
  }
  if (!vars.RUNTREE_POSTGRES_URL) return E.left('RUNTREE_READ_STORE=postgres needs RUNTREE_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/runtree)');
  if (vars.RUNTREE_READ_SQLITE_PATH !== undefined) return E.left('RUNTREE_READ_SQLITE_PATH is set but RUNTREE_READ_STORE is postgres: the read models live in PostgreSQL');
  if (vars.RUNTREE_POSTGRES_SCHEMA !== undefined && !/^[a-z_][a-z0-9_]{0,47}$/.test(vars.RUNTREE_POSTGRES_SCHEMA)) {
    return E.left('RUNTREE_POSTGRES_SCHEMA must be lower-case letters, digits and _ (at most 48), starting with a letter or _');
  }
  return E.right({ kind: 'postgres', connectionString: vars.RUNTREE_POSTGRES_URL, ...(vars.RUNTREE_POSTGRES_SCHEMA ? { schema: vars.RUNTREE_POSTGRES_SCHEMA } : {}) });
}

export function storeOptionsOf(config: RuntreeConfig): StoreOptions {
  return config.store === 'esdb'
    ? { kind: 'esdb', connectionString: config.eventStoreConnectionString! }
    : { kind: 'sqlite', path: config.sqlitePath };
}

/** For the start-up line: credentials in connection strings are hidden. */
export function describeStore(config: RuntreeConfig): string {
  const journal =
    config.store === 'esdb' ? `EventStoreDB at ${hideUrlCredentials(config.eventStoreConnectionString ?? '')}` : `the embedded SQLite store at ${config.sqlitePath}`;
  const { readStore } = config;
  const reads =
    readStore.kind === 'postgres'
      ? `PostgreSQL at ${hideUrlCredentials(readStore.connectionString)} (schema ${readStore.schema ?? 'runtree'})`
      : readStore.kind === 'sqlite'
        ? `SQLite at ${readStore.path}`
        : 'a read store given by the caller';
  return `${journal}, read models in ${reads}`;
}
