// An in-process EventStoreDB protocol test double: a gRPC server speaking the Streams protocol
// of @eventstore/db-client 6.2.1, backed by memory. NOT EventStoreDB; see README.md.
import type { RpcCallCounts } from './rpc-calls.js';
import { EsdbDoubleServer } from './server.js';

export type { RpcCallCounts } from './rpc-calls.js';

export interface EsdbDoubleOptions {
  readonly port?: number; // default 0: a free port on 127.0.0.1
  readonly batchAppend?: boolean; // default true: ServerFeatures advertises batch append, so the real client uses Streams/BatchAppend (as production servers do); false: ServerFeatures is UNIMPLEMENTED, so the client uses Streams/Append
}

export interface EsdbDouble {
  readonly connectionString: string; // e.g. esdb://127.0.0.1:PORT?tls=false
  /** Calls served per RPC since start, e.g. to check which append path the client took. */
  readonly calls: RpcCallCounts;
  suspend(): Promise<void>; // stop accepting/serving (open calls end with UNAVAILABLE), KEEP the data
  resume(): Promise<void>; // serve again on the same port with the same data
  stop(): Promise<void>; // like a killed server: cut every connection at once (no status), KEEP the data
  start(): Promise<void>; // like a restarted server: after stop(), serve again on the same port with the same data
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const server = await EsdbDoubleServer.start({ port: options.port ?? 0, batchAppend: options.batchAppend ?? true });
  return {
    connectionString: `esdb://127.0.0.1:${server.port}?tls=false`,
    get calls() {
      return server.calls;
    },
    suspend: () => server.suspend(),
    resume: () => server.resume(),
    stop: () => server.stop(),
    start: () => server.start(),
  };
}
