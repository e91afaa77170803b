// Long-lived calls (subscriptions, reads, the BatchAppend stream) open at a given moment, so that
// suspending the double can end them with UNAVAILABLE, as a server going away does.
import type { ServiceError } from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';

export class ActiveCalls {
  private readonly calls = new Set<EventEmitter>();

  track(call: EventEmitter): void {
    this.calls.add(call);
    const forget = () => this.calls.delete(call);
    call.once('finish', forget);
    call.once('close', forget);
    call.once('cancelled', forget);
  }

  /** Ends every open call with this status; grpc-js sends it once buffered messages are out. */
  failAll(error: ServiceError): void {
    for (const call of this.calls) failCall(call, error);
    this.calls.clear();
  }
}

/** The way to end a grpc-js server stream with a status: emit it as an error. */
export function failCall(call: EventEmitter, error: ServiceError): void {
  call.emit('error', error);
}
