// Loads the gRPC service definitions and messages that ship inside @eventstore/db-client, so the
// double speaks exactly the protocol the real client was generated from.
import { createRequire } from 'node:module';
import type * as StreamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as ServerFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as AnyPb from 'google-protobuf/google/protobuf/any_pb.js';
import type * as EmptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

const requireFromHere = createRequire(import.meta.url);
const sharedPbPath = requireFromHere.resolve('@eventstore/db-client/generated/shared_pb.js');
// The generated code checks `instanceof` against the google-protobuf copy db-client resolves,
// so Any/Empty must come from that copy, not from whatever a top-level import would find.
const requireFromGenerated = createRequire(sharedPbPath);

export const streamsGrpc = requireFromGenerated('./streams_grpc_pb.js') as typeof StreamsGrpc;
export const streamsPb = requireFromGenerated('./streams_pb.js') as typeof StreamsPb;
export const sharedPb = requireFromGenerated('./shared_pb.js') as typeof SharedPb;
export const statusPb = requireFromGenerated('./status_pb.js') as typeof StatusPb;
export const serverFeaturesGrpc = requireFromGenerated('./serverfeatures_grpc_pb.js') as typeof ServerFeaturesGrpc;
export const serverFeaturesPb = requireFromGenerated('./serverfeatures_pb.js') as typeof ServerFeaturesPb;
export const anyPb = requireFromGenerated('google-protobuf/google/protobuf/any_pb.js') as typeof AnyPb;
export const emptyPb = requireFromGenerated('google-protobuf/google/protobuf/empty_pb.js') as typeof EmptyPb;

export type {
  StreamsPb,
  SharedPb,
};
