// ServerFeatures/GetSupportedMethods: what makes db-client choose Streams/BatchAppend over Append.
import type { handleUnaryCall } from '@grpc/grpc-js';
import { serverFeaturesPb, type SharedPb } from './protocol.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';

const STREAMS_SERVICE = 'event_store.client.streams.streams';
const STREAMS_METHODS = ['read', 'append', 'delete', 'tombstone', 'batchappend'];
/** A version with BatchAppend, caught_up and filtered $all reads. */
export const ADVERTISED_SERVER_VERSION = '23.10.0';

export const getSupportedMethods: handleUnaryCall<SharedPb.Empty, ServerFeaturesPb.SupportedMethods> = (
  _call,
  callback,
) => {
  const methods = STREAMS_METHODS.map((method) =>
    new serverFeaturesPb.SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(method),
  );
  callback(
    null,
    new serverFeaturesPb.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(ADVERTISED_SERVER_VERSION),
  );
};
