import { describe, expect, it } from '@jest/globals';
import { defaultValidationLimits } from '@runtree/orchestration';
import { defaultServiceLimits, describeStore, loadRuntreeConfig, type RuntreeConfig } from './config.js';

function loaded(env: NodeJS.ProcessEnv): RuntreeConfig {
  const result = loadRuntreeConfig(env);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function refusal(env: NodeJS.ProcessEnv): string {
  const result = loadRuntreeConfig(env);
  if (result.ok) throw new Error(`expected ${JSON.stringify(env)} to be refused`);
  return result.error;
}

const TOKEN = 'a-token-of-24-characters';

describe('limits from the environment', () => {
  it('default to the documented values', () => {
    expect(loaded({}).limits).toEqual({
      validation: defaultValidationLimits,
      maxBodyBytes: 2 * 1024 * 1024,
      journalPageSize: 1000,
      maxFollowersPerClient: 16,
      maxAwaitersPerClient: 256,
    });
    expect(defaultServiceLimits.maxBodyBytes).toBe(2 * 1024 * 1024);
  });

  it('read every variable', () => {
    const limits = loaded({
      RUNTREE_MAX_BODY_BYTES: '5000',
      RUNTREE_MAX_METADATA_BYTES: '100',
      RUNTREE_MAX_PAYLOAD_BYTES: '4000',
      RUNTREE_MAX_ID_LENGTH: '64',
      RUNTREE_MAX_AWAIT_TIMEOUT_MS: '60000',
      RUNTREE_JOURNAL_PAGE_SIZE: '50',
      RUNTREE_MAX_FOLLOWERS_PER_CLIENT: '2',
      RUNTREE_MAX_AWAITERS_PER_CLIENT: '3',
    }).limits;
    expect(limits).toEqual({
      validation: { ...defaultValidationLimits, maxMetadataBytes: 100, maxPayloadBytes: 4000, maxIdLength: 64, maxTimeoutMs: 60000 },
      maxBodyBytes: 5000,
      journalPageSize: 50,
      maxFollowersPerClient: 2,
      maxAwaitersPerClient: 3,
    });
  });

  it('grow the default body limit with larger payload and metadata limits', () => {
    const limits = loaded({ RUNTREE_MAX_PAYLOAD_BYTES: String(4 * 1024 * 1024), RUNTREE_MAX_METADATA_BYTES: '65536' }).limits;
    expect(limits.maxBodyBytes).toBe(4 * 1024 * 1024 + 65536 + 64 * 1024);
  });

  it.each(['0', '-1', '1.5', 'ten', '', '1e3', '99999999999999999999'])('refuse %p naming the variable', (value) => {
    expect(refusal({ RUNTREE_JOURNAL_PAGE_SIZE: value })).toBe('RUNTREE_JOURNAL_PAGE_SIZE must be a positive integer');
    expect(refusal({ RUNTREE_MAX_BODY_BYTES: value })).toBe('RUNTREE_MAX_BODY_BYTES must be a positive integer');
  });

  it('refuse an id length too short for the UUIDs Runtree creates', () => {
    expect(refusal({ RUNTREE_MAX_ID_LENGTH: '35' })).toBe('RUNTREE_MAX_ID_LENGTH must be at least 36: the ids Runtree creates are UUIDs of 36 characters');
    expect(loaded({ RUNTREE_MAX_ID_LENGTH: '36' }).limits.validation.maxIdLength).toBe(36);
  });

  it('refuse a body limit under the payload limit, saying why', () => {
    expect(refusal({ RUNTREE_MAX_BODY_BYTES: '1000', RUNTREE_MAX_PAYLOAD_BYTES: '2000' })).toBe(
      'RUNTREE_MAX_BODY_BYTES (1000) must be at least RUNTREE_MAX_PAYLOAD_BYTES (2000): a payload within its limit could not be sent over HTTP',
    );
  });
});

describe('tokens from the environment', () => {
  it('are off unless set', () => {
    const config = loaded({});
    expect(config.apiToken).toBeUndefined();
    expect(config.adminToken).toBeUndefined();
  });

  it('are read when set', () => {
    expect(loaded({ RUNTREE_API_TOKEN: TOKEN, RUNTREE_ADMIN_TOKEN: `${TOKEN}-admin` })).toMatchObject({ apiToken: TOKEN, adminToken: `${TOKEN}-admin` });
  });

  it('refuse a short token without echoing it', () => {
    const error = refusal({ RUNTREE_ADMIN_TOKEN: 'short-secret' });
    expect(error).toBe('RUNTREE_ADMIN_TOKEN must be at least 16 characters long');
  });

  it('refuse characters a bearer header cannot carry without echoing the token', () => {
    const error = refusal({ RUNTREE_API_TOKEN: 'has a space in it, secret' });
    expect(error).toMatch(/^RUNTREE_API_TOKEN may only hold/);
    expect(error).not.toContain('secret');
  });

  it('refuse the same token for the API and admin', () => {
    expect(refusal({ RUNTREE_API_TOKEN: TOKEN, RUNTREE_ADMIN_TOKEN: TOKEN })).toBe(
      'RUNTREE_ADMIN_TOKEN must differ from RUNTREE_API_TOKEN: every API client would be an admin',
    );
  });
});

describe('the NATS publication mode from the environment', () => {
  const NATS_URL = 'nats://127.0.0.1:4222';

  it('is core NATS unless RUNTREE_NATS_JETSTREAM=true', () => {
    expect(loaded({ RUNTREE_NATS_URL: NATS_URL }).natsJetStream).toBe(false);
    expect(loaded({ RUNTREE_NATS_URL: NATS_URL, RUNTREE_NATS_JETSTREAM: 'false' }).natsJetStream).toBe(false);
    expect(loaded({ RUNTREE_NATS_URL: NATS_URL, RUNTREE_NATS_JETSTREAM: 'true' }).natsJetStream).toBe(true);
  });

  it.each(['yes', '1', 'TRUE', ''])('refuses %p naming the variable', (value) => {
    expect(refusal({ RUNTREE_NATS_URL: NATS_URL, RUNTREE_NATS_JETSTREAM: value })).toBe('RUNTREE_NATS_JETSTREAM must be true or false');
  });

  it('refuses JetStream without NATS', () => {
    expect(refusal({ RUNTREE_NATS_JETSTREAM: 'true' })).toBe('RUNTREE_NATS_JETSTREAM=true needs RUNTREE_NATS_URL: there is no NATS to publish to');
  });
});

describe('describeStore', () => {
  it('hides the credentials of the EventStoreDB connection string', () => {
    const config = loaded({ RUNTREE_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://admin:changeit@db.internal:2113?tls=true' });
    expect(describeStore(config)).toBe(`EventStoreDB at esdb://***@db.internal:2113?tls=true, read models in SQLite at ${config.readStore.kind === 'sqlite' ? config.readStore.path : ''}`);
  });

  it('hides the credentials of the PostgreSQL read store', () => {
    const config = loaded({ RUNTREE_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113?tls=false', RUNTREE_READ_STORE: 'postgres', RUNTREE_POSTGRES_URL: 'postgresql://runtree:secret@pg:5432/runtree' });
    expect(describeStore(config)).toBe('EventStoreDB at esdb://db:2113?tls=false, read models in PostgreSQL at postgresql://***@pg:5432/runtree (schema runtree)');
  });
});

describe('the read store', () => {
  it('is SQLite beside the journal by default, or where RUNTREE_READ_SQLITE_PATH says', () => {
    expect(loaded({ RUNTREE_SQLITE_PATH: '/data/runtree.db' }).readStore).toEqual({ kind: 'sqlite', path: '/data/runtree.read.db' });
    expect(loaded({ RUNTREE_SQLITE_PATH: ':memory:' }).readStore).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(loaded({ RUNTREE_READ_SQLITE_PATH: '/fast/read.db' }).readStore).toEqual({ kind: 'sqlite', path: '/fast/read.db' });
  });

  it('is PostgreSQL with RUNTREE_READ_STORE=postgres and RUNTREE_POSTGRES_URL, in RUNTREE_POSTGRES_SCHEMA when given', () => {
    expect(loaded({ RUNTREE_READ_STORE: 'postgres', RUNTREE_POSTGRES_URL: 'postgresql://pg/runtree', RUNTREE_POSTGRES_SCHEMA: 'tenant_a' }).readStore).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://pg/runtree',
      schema: 'tenant_a',
    });
  });

  it('refuses settings that contradict each other, naming them', () => {
    expect(refusal({ RUNTREE_READ_STORE: 'postgres' })).toBe('RUNTREE_READ_STORE=postgres needs RUNTREE_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/runtree)');
    expect(refusal({ RUNTREE_POSTGRES_URL: 'postgresql://pg/runtree' })).toBe('RUNTREE_POSTGRES_URL is set but RUNTREE_READ_STORE is not postgres: set RUNTREE_READ_STORE=postgres to use it');
    expect(refusal({ RUNTREE_READ_STORE: 'postgres', RUNTREE_POSTGRES_URL: 'postgresql://pg/r', RUNTREE_READ_SQLITE_PATH: '/x' })).toBe(
      'RUNTREE_READ_SQLITE_PATH is set but RUNTREE_READ_STORE is postgres: the read models live in PostgreSQL',
    );
    expect(refusal({ RUNTREE_READ_STORE: 'postgres', RUNTREE_POSTGRES_URL: 'postgresql://pg/r', RUNTREE_POSTGRES_SCHEMA: 'Bad-Name' })).toMatch(/^RUNTREE_POSTGRES_SCHEMA must be/);
    expect(refusal({ RUNTREE_READ_STORE: 'mysql' })).toMatch(/^RUNTREE_READ_STORE /);
    expect(refusal({ RUNTREE_STREAM_CACHE_BYTES: '0' })).toBe('RUNTREE_STREAM_CACHE_BYTES must be a positive integer');
  });

  it('takes the memory budget and the list page size from the environment', () => {
    const config = loaded({ RUNTREE_STREAM_CACHE_BYTES: '1048576', RUNTREE_AWAIT_MEMORY_BYTES: '2097152', RUNTREE_LIST_PAGE_SIZE: '50' });
    expect(config.memory).toEqual({ streamCacheBytes: 1048576, awaitBytes: 2097152 });
    expect(config.limits.validation.maxListLimit).toBe(50);
  });
});
