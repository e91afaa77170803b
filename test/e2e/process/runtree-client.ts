/** Long enough for a busy service; short enough that a request to a dead one cannot stall the test. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** The HTTP API of one service process, through Node's fetch. */
export class RuntreeClient {
  constructor(private readonly baseUrl: string) {}

  /** Rejects when no response arrives (the process died with the request in flight). */
  async post(path: string, body: object, idempotencyKey?: string): Promise<Reply> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
    return this.send(path, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  async get(path: string): Promise<Reply> {
    return this.send(path, { method: 'GET' });
  }

  private async send(path: string, init: RequestInit): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, body: await response.json() };
  }
}

export const isSuccess = (status: number): boolean => status >= 200 && status <= 299;

/** The body of a reply that must be a success. */
export function successBody<T>({ status, body }: Reply): T {
  if (!isSuccess(status)) throw new Error(`expected a 2xx, got ${status}: ${JSON.stringify(body)}`);
  return body as T;
}
