import { HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '@runtree/orchestration';

/** The one place an error code becomes an HTTP status (docs/design.md, "Interfaces"). */
export const statusOfErrorCode: Readonly<Record<ErrorCode, HttpStatus>> = {
  unsupported_option: HttpStatus.BAD_REQUEST,
  invalid_option: HttpStatus.BAD_REQUEST,
  invalid_parent: HttpStatus.BAD_REQUEST,
  invalid_session_target: HttpStatus.BAD_REQUEST,
  invalid_thread_target: HttpStatus.BAD_REQUEST,
  session_required_for_thread: HttpStatus.BAD_REQUEST,
  invalid_timeout: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  parent_not_found: HttpStatus.NOT_FOUND,
  session_not_found: HttpStatus.NOT_FOUND,
  thread_not_found: HttpStatus.NOT_FOUND,
  already_exists: HttpStatus.CONFLICT,
  parent_not_running: HttpStatus.CONFLICT,
  invalid_status_transition: HttpStatus.CONFLICT,
  session_closed: HttpStatus.CONFLICT,
  thread_closed: HttpStatus.CONFLICT,
  conflict: HttpStatus.CONFLICT,
  policy_denied: HttpStatus.FORBIDDEN,
  timeout: HttpStatus.REQUEST_TIMEOUT,
  store_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unauthorized: HttpStatus.UNAUTHORIZED,
  too_many_requests: HttpStatus.TOO_MANY_REQUESTS,
};
