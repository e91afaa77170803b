// The double's own vocabulary, independent of protobuf classes.

/** A global log position. On EventStoreDB both parts are byte offsets into the transaction file. */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface ProposedEvent {
  /** Canonical lower-case UUID, as the server echoes it back whatever case was sent. */
  readonly id: string;
  readonly type: string;
  /** The server keeps only "is JSON": anything else reads back as application/octet-stream. */
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  readonly streamName: string;
  readonly revision: bigint;
  /** .NET ticks (100 ns) since the Unix epoch. */
  readonly createdTicks: bigint;
  readonly position: LogPosition;
}

export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/** -1n stands for "no stream", as it does inside the server. */
export const NO_STREAM = -1n;

export type WriteOutcome =
  | { readonly kind: 'written'; readonly lastRevision: bigint; readonly position: LogPosition | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream_deleted' };

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
