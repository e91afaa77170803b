import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from './express-types.js';
import { OrchestratorError } from '@runtree/orchestration';
import { statusOfErrorCode } from './error-statuses.js';
import { bodyTooLarge } from './body-limit.js';
import { inputRejection } from './input-rejection.js';

/** The body of every error response. */
export interface ErrorEnvelope {
  readonly error: { readonly code: string; readonly message: string; readonly details: { readonly [key: string]: unknown } };
}

interface Answer {
  readonly status: number;
  readonly envelope: ErrorEnvelope;
}

/** What reading the body failed on: body-parser's errors carry a status and mostly a `type`; Nest wraps them in an HttpException as its `cause`. */
interface BodyReadFailure {
  readonly status: number;
  readonly type: string | undefined;
  readonly message: string;
}

function bodyReadFailure(exception: unknown): BodyReadFailure | undefined {
  if (!(exception instanceof HttpException)) return undefined;
  const cause = exception.cause as { status?: unknown; type?: unknown; message?: unknown } | undefined;
  if (cause instanceof URIError || typeof cause?.status !== 'number' || cause.status < 400 || cause.status >= 500) return undefined;
  return { status: cause.status, type: typeof cause.type === 'string' ? cause.type : undefined, message: String(cause.message) };
}

/** Why the body could not be read, in the words of a field error. */
function bodyReadReason(failure: BodyReadFailure): string {
  switch (failure.type) {
    case 'entity.parse.failed':
      return 'is not valid JSON';
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return `cannot be read: ${failure.message} (send UTF-8 JSON, uncompressed, gzip or deflate)`;
    default:
      return 'cannot be read (a truncated, mis-sized or wrongly compressed body)';
  }
}

/** Path segments before an id name it: `/runs/<runId>/steps/<stepId>`. */
const idAfterSegment: { readonly [segment: string]: string } = { runs: 'runId', steps: 'stepId', sessions: 'sessionId', threads: 'threadId' };

/** Express could not percent-decode a path parameter: names the parameter by the segment before it. */
function undecodableParam(exception: unknown, path: string): OrchestratorError | undefined {
  if (!(exception instanceof HttpException && exception.cause instanceof URIError)) return undefined;
  const segments = path.split('/');
  const index = segments.findIndex((segment) => !decodes(segment));
  const field = (index > 0 && Object.hasOwn(idAfterSegment, segments[index - 1]) ? idAfterSegment[segments[index - 1]] : undefined) ?? 'path';
  return inputRejection('invalid_option', field, 'holds a %-escape that is not UTF-8 (percent-encode the id as UTF-8)');
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every failure leaves as `{ error: { code, message, details } }`. Coded errors keep their code;
 * anything unexpected is logged here and answered with a bare `internal_error`, so no stack trace
 * or internal message reaches a client.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const { status, envelope } = this.answer(exception, request);
    if (response.headersSent) {
      // A streaming answer (the journal tail) already started: the connection is all that is left to end.
      response.end();
      return;
    }
    response.status(status).json(envelope);
  }

  private answer(exception: unknown, request: HttpRequest): Answer {
    if (exception instanceof OrchestratorError) return coded(statusOfErrorCode[exception.code], exception);
    const readFailure = bodyReadFailure(exception);
    if (readFailure?.type === 'entity.too.large') return coded(HttpStatus.PAYLOAD_TOO_LARGE, bodyTooLarge(exception));
    if (readFailure !== undefined) return coded(readFailure.status, inputRejection('invalid_option', 'body', bodyReadReason(readFailure)));
    const badParam = undecodableParam(exception, request.path);
    if (badParam !== undefined) return coded(HttpStatus.BAD_REQUEST, badParam);
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.NOT_FOUND) {
      const message = `No route ${request.method} ${request.path}`;
      return { status: HttpStatus.NOT_FOUND, envelope: { error: { code: 'not_found', message, details: { method: request.method, path: request.path } } } };
    }
    this.logger.error(`${request.method} ${request.originalUrl} failed`, exception instanceof Error ? exception.stack : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, envelope: { error: { code: 'internal_error', message: 'Internal server error', details: {} } } };
  }
}

function coded(status: number, error: OrchestratorError): Answer {
  return { status, envelope: { error: error.toJSON() } };
}
