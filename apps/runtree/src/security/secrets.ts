/** What a secret is replaced with. */
export const REDACTED = '***';

/** `scheme://user:password@host` → `scheme://***@host`, for every URL in the text. */
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

export function hideUrlCredentials(text: string): string {
  return text.replace(urlCredentials, `$1${REDACTED}@`);
}

/** The password of a URL's `user:password@`, as written and decoded (a client may print either). */
function urlPasswords(url: string): string[] {
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^\s/@]+)@/i.exec(url)?.[1];
  const password = userInfo?.split(':').slice(1).join(':');
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // not percent-encoded: the written form is all there is
  }
  return [...new Set([password, decoded])];
}

/** Where the service's secrets come from. */
export interface SecretSources {
  readonly eventStoreConnectionString?: string;
  readonly natsUrl?: string;
  readonly rabbitmqUrl?: string;
  readonly apiToken?: string;
  readonly adminToken?: string;
}

/**
 * Removes the service's secrets from text before it is printed or answered: the tokens, the
 * passwords of the store and broker URLs, and the credentials of any URL.
 */
export class SecretRedactor {
  private readonly secrets: readonly string[];

  constructor(sources: SecretSources) {
    const urls = [sources.eventStoreConnectionString, sources.natsUrl, sources.rabbitmqUrl].filter((url): url is string => url !== undefined);
    const tokens = [sources.apiToken, sources.adminToken].filter((token): token is string => token !== undefined);
    // As written and as escaped inside a JSON string (a log line is JSON); longest first, so a secret that contains another is replaced whole.
    const written = [...tokens, ...urls.flatMap(urlPasswords)];
    this.secrets = [...new Set(written.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))]
      .filter((secret) => secret.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let redacted = hideUrlCredentials(text);
    for (const secret of this.secrets) if (redacted.includes(secret)) redacted = redacted.split(secret).join(REDACTED);
    return redacted;
  }

  /** Every string inside a JSON-like value redacted (keys included); the shape is kept. */
  redactValue<T>(value: T): T {
    return this.walk(value, new WeakSet()) as T;
  }

  private walk(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value instanceof Error) return this.redact(value.stack ?? value.message);
    if (typeof value !== 'object' || value === null || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item, seen));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.redact(key), this.walk(item, seen)]));
  }
}
