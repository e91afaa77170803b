import type { IncomingMessage, ServerResponse } from 'node:http';

// The parts of Express's request and response this API uses; the project does not depend on @types/express.

export interface HttpRequest extends IncomingMessage {
  /** Set by the JSON body parser; `undefined` when it did not read the body. */
  body?: unknown;
  readonly path: string;
  readonly originalUrl: string;
  header(name: string): string | undefined;
  accepts(type: string): string | false;
}

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  set(headers: Record<string, string>): this;
  type(mediaType: string): this;
  json(body: unknown): this;
  send(body: string): this;
}
