import type { IncomingMessage } from 'node:http';
import type { HttpResponse } from '../http/express-types.js';
import type { SecretRedactor } from './secrets.js';

/**
 * Express middleware: every JSON error answer (status 400 and up: error envelopes, a failed
 * /health) is redacted, since a store or broker error may quote a connection string. Successful
 * answers are the callers' own data and are sent as they are.
 */
export function redactErrorResponses(redactor: SecretRedactor) {
  return (_request: IncomingMessage, response: HttpResponse, next: () => void): void => {
    const json = response.json.bind(response);
    response.json = (body: unknown) => json(response.statusCode >= 400 ? redactor.redactValue(body) : body);
    next();
  };
}
