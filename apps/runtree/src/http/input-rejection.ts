import { inputError, OrchestratorError, type ErrorCode } from '@runtree/orchestration';

/** An HTTP input the facade never sees (body, query, header) refused the facade's way: a code, the field and why. */
export function inputRejection(code: ErrorCode, field: string, reason: string): OrchestratorError {
  return OrchestratorError.from(inputError({ code, field, reason }));
}
