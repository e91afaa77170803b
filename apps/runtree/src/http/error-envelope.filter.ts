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

/** body-parser's errors carry a `type` (`entity.parse.failed`, ...); Nest wraps them in an HttpException as its `cause`. */
function bodyParserFailure(exception: unknown): string | undefined {
  const type = exception instanceof HttpException ? (exception.cause as { type?: unknown } | undefined)?.type : undefined;
  return typeof type === 'string' && type.startsWith('entity.') ? type : undefined;
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
    const parserFailure = bodyParserFailure(exception);
    if (parserFailure === 'entity.too.large') {
      return coded(HttpStatus.PAYLOAD_TOO_LARGE, bodyTooLarge(exception));
    }
    if (parserFailure !== undefined) {
      return coded(HttpStatus.BAD_REQUEST, inputRejection('invalid_option', 'body', parserFailure === 'entity.parse.failed' ? 'is not valid JSON' : 'cannot be read'));
    }
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
