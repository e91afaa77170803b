/** Long enough for a busy service; short enough that a request to a dead one cannot stall the test. */
const REQUEST_TIMEOUT_MS = 10_000;
/** What test services are started with as RUNTREE_ADMIN_TOKEN, and what admin calls present. */
export const TEST_ADMIN_TOKEN = 'runtree-test-admin-token';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface RuntreeClientOptions {
  /** Per request; an await's own timeout must fit in it. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

/** The HTTP API of one service process, through Node's fetch (keep-alive connections, pooled per origin). */
export class RuntreeClient {
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly baseUrl: string,
    options: RuntreeClientOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** Rejects when no response arrives (the process died with the request in flight). */
  async post(path: string, body: object, idempotencyKey?: string): Promise<Reply> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
    return this.send(path, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async get(path: string): Promise<Reply> {
    return this.send(path, { method: 'GET' });
  }

  /** An admin route (`/admin/rebuild`, `/admin/clear`), with the test token. */
  async admin(route: 'rebuild' | 'clear'): Promise<Reply> {
    return this.send(`/admin/${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: '{}' });
  }

  private async send(path: string, init: RequestInit): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.requestTimeoutMs) });
    return { status: response.status, body: await response.json() };
  }
}

export const isSuccess = (status: number): boolean => status >= 200 && status <= 299;

/** The body of a reply that must be a success. */
export function successBody<T>({ status, body }: Reply): T {
  if (!isSuccess(status)) throw new Error(`expected a 2xx, got ${status}: ${JSON.stringify(body)}`);
  return body as T;
}
