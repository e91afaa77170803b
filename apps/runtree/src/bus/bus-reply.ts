import { Logger } from '@nestjs/common';
import { OrchestratorError } from '@runtree/orchestration';

/** The error of a failed operation: the facade's code, message and details. */
export interface BusError {
  readonly code: string;
  readonly message: string;
  readonly details: { readonly [key: string]: unknown };
}

/** Every bus reply: the transport never sees an exception. */
export type BusReply<T = unknown> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BusError };

const logger = new Logger('BusReply');

/** Runs the work and turns its outcome, whatever it is, into a reply. */
export async function replyOf<T>(work: () => Promise<T>): Promise<BusReply<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof OrchestratorError) return { ok: false, error: error.toJSON() };
    // A bug, not a caller's mistake: logged with its trace here, only its message goes out.
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return { ok: false, error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error), details: {} } };
  }
}
