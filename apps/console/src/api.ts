import { storedToken } from './token.js';

/** An error answer of the API: `{ error: { code, message, details } }`, or what stood in for one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Fired on every 401, so the console asks for the token again. */
export const UNAUTHORIZED_EVENT = 'runtree:unauthorized';

async function apiErrorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') return new ApiError(response.status, code, message);
  } catch {
    // Not the API's envelope (a proxy's page, a cut connection): say what the status says.
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'The request failed');
}

/** A call to the API with the tab's token; a non-2xx answer rejects with its ApiError. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = storedToken();
  if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers });
  if (response.ok) return response;
  if (response.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  throw await apiErrorOf(response);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path, { headers: { Accept: 'application/json' } })).json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as T;
}

/** `/runs/<id>` with the id escaped: ids may hold `:` and `@`. */
export function runPath(runId: string, rest = ''): string {
  return `/runs/${encodeURIComponent(runId)}${rest}`;
}

/** The URL of a `Link: <url>; rel="next"` header, if any. */
export function nextLinkOf(response: Response): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') ?? '')?.[1];
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
