import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpStatus } from '@nestjs/common';
import type { OrchestratorError } from '@runtree/orchestration';
import { inputRejection } from './input-rejection.js';

/** Node's parser error for a request line and headers over the header size limit. */
const HEADER_OVERFLOW = 'HPE_HEADER_OVERFLOW';
/** Request Header Fields Too Large (RFC 6585); Nest's HttpStatus has no name for it. */
const HEADER_FIELDS_TOO_LARGE = 431;

function refusalOf(code: string | undefined): { status: number; error: OrchestratorError } {
  if (code === HEADER_OVERFLOW) {
    // 431, not the 413 of payload_too_large: the body was never read, the URL and headers are what is too large.
    const reason = `the URL and headers are larger than the limit of ${maxHeaderSize} bytes (Node's --max-http-header-size)`;
    return { status: HEADER_FIELDS_TOO_LARGE, error: inputRejection('payload_too_large', 'headers', reason) };
  }
  return { status: HttpStatus.BAD_REQUEST, error: inputRejection('invalid_option', 'request', `is not valid HTTP/1.1 (${code ?? 'unreadable'})`) };
}

/**
 * Node's HTTP parser refuses some requests before Express sees them (a URL over the header size
 * limit, malformed HTTP) and by default answers with a bare status line. These get the same error
 * envelope as every other refusal, then the connection closes, as Node's own answer does.
 */
export function answerClientErrorsWithEnvelope(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or half-closed connection has no one to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, error: refusal } = refusalOf(error.code);
    const body = JSON.stringify({ error: refusal.toJSON() });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
