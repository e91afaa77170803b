// Counts calls per RPC, so a test can tell which append path the real client took.

export interface RpcCallCounts {
  readonly append: number;
  readonly batchAppend: number;
  readonly read: number;
  readonly delete: number;
  readonly tombstone: number;
  readonly getSupportedMethods: number;
}

export type RpcName = keyof RpcCallCounts;

export class RpcCallCounter {
  private readonly counts: Record<RpcName, number> = {
    append: 0,
    batchAppend: 0,
    read: 0,
    delete: 0,
    tombstone: 0,
    getSupportedMethods: 0,
  };

  /** A live view: reading it later shows the calls made since. */
  get view(): RpcCallCounts {
    return this.counts;
  }

  /** Wraps a grpc-js handler so each call is counted before it is served. */
  counted<Handler extends (...args: never[]) => void>(name: RpcName, handler: Handler): Handler {
    const counts = this.counts;
    return ((...args: Parameters<Handler>) => {
      counts[name] += 1;
      handler(...args);
    }) as Handler;
  }
}
