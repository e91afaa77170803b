// The Streams service: routes each RPC to its handler and counts the calls.
import { status, type handleServerStreamingCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ActiveCalls, failCall } from './active-calls.js';
import { appendHandler } from './append.js';
import { batchAppendHandler } from './batch-append.js';
import { deleteHandler, tombstoneHandler } from './delete.js';
import { serviceError } from './errors.js';
import type { EventLog } from './event-log.js';
import type { StreamsPb } from './protocol.js';
import { READ_DIRECTION, readAll, readStream } from './read.js';
import type { RpcCallCounter } from './rpc-calls.js';
import { subscribeToAll, subscribeToStream } from './subscriptions.js';

const STREAM_OPTION = { STREAM: 1, ALL: 2 } as const;
const COUNT_OPTION = { COUNT: 5, SUBSCRIPTION: 6 } as const;
const FILTER_OPTION = { FILTER: 7 } as const;

export function streamsService(
  log: EventLog,
  calls: RpcCallCounter,
  activeCalls: ActiveCalls,
): UntypedServiceImplementation {
  const batchAppend = batchAppendHandler(log);
  const read = readHandler(log);
  return {
    read: calls.counted('read', (call: Parameters<typeof read>[0]) => {
      activeCalls.track(call);
      read(call);
    }),
    append: calls.counted('append', appendHandler(log)),
    batchAppend: calls.counted('batchAppend', (call: Parameters<typeof batchAppend>[0]) => {
      activeCalls.track(call);
      batchAppend(call);
    }),
    delete: calls.counted('delete', deleteHandler(log)),
    tombstone: calls.counted('tombstone', tombstoneHandler(log)),
  };
}

/** The server accepts only these combinations; anything else is an unhandled exception. */
function readHandler(log: EventLog): handleServerStreamingCall<StreamsPb.ReadReq, StreamsPb.ReadResp> {
  return (call) => {
    const options = call.request.getOptions();
    const stream = options?.getStreamOptionCase() === STREAM_OPTION.STREAM;
    const all = options?.getStreamOptionCase() === STREAM_OPTION.ALL;
    const filtered = options?.getFilterOptionCase() === FILTER_OPTION.FILTER;
    const subscription = options?.getCountOptionCase() === COUNT_OPTION.SUBSCRIPTION;
    const count = options?.getCountOptionCase() === COUNT_OPTION.COUNT;
    const backwardsSubscription = subscription && options?.getReadDirection() !== READ_DIRECTION.FORWARDS;
    if (!options || (!stream && !all) || (!subscription && !count) || (stream && filtered) || backwardsSubscription) {
      return failCall(call, serviceError(status.UNKNOWN, 'Exception was thrown by handler.'));
    }
    if (subscription) return stream ? subscribeToStream(log, options, call) : subscribeToAll(log, options, call);
    return stream ? readStream(log, options, call) : readAll(log, options, call);
  };
}
