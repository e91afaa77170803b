// The server's decision for a write, before anything is written: the expected-revision check and
// idempotency (a retry of events already written is answered, not written again).
import { NO_STREAM, type ExpectedRevision } from './model.js';

export interface StreamFacts {
  /** Last revision ever written (soft deletion keeps it), NO_STREAM if none. */
  readonly lastRevision: bigint;
  readonly tombstoned: boolean;
  readonly softDeleted: boolean;
  /** `stream_exists` also accepts a stream whose only trace is its metastream. */
  readonly metastreamExists: boolean;
  idAt(revision: bigint): string | undefined;
  revisionOf(id: string): bigint | undefined;
}

export type CommitDecision =
  | { readonly kind: 'ok' }
  | { readonly kind: 'idempotent'; readonly lastRevision: bigint }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint }
  | { readonly kind: 'stream_deleted' };

export function checkCommit(stream: StreamFacts, expected: ExpectedRevision, ids: readonly string[]): CommitDecision {
  const current = stream.lastRevision;
  const wrong: CommitDecision = { kind: 'wrong_expected_version', currentRevision: current };
  if (stream.tombstoned) return { kind: 'stream_deleted' };

  switch (expected.kind) {
    case 'stream_exists':
      // The server answers StreamDeleted here, not WrongExpectedVersion.
      if (stream.softDeleted) return { kind: 'stream_deleted' };
      if (current === NO_STREAM && !stream.metastreamExists) return wrong;
      return checkIdsAnywhere(stream, ids);
    case 'any':
      return checkIdsAnywhere(stream, ids);
    case 'no_stream':
      // A soft-deleted stream counts as no stream: writing recreates it.
      if (stream.softDeleted) return { kind: 'ok' };
      return checkAfterRevision(stream, NO_STREAM, ids);
    case 'revision':
      return checkAfterRevision(stream, expected.revision, ids);
  }
}

/**
 * `any`: the server looks each id up in its recent-events cache. First id unknown: a new write.
 * First known, a later one not: a corrupted retry, answered as WrongExpectedVersion.
 */
function checkIdsAnywhere(stream: StreamFacts, ids: readonly string[]): CommitDecision {
  if (ids.length === 0) return { kind: 'ok' };
  let lastRevision: bigint | undefined;
  for (const [index, id] of ids.entries()) {
    const revision = stream.revisionOf(id);
    if (revision === undefined) {
      return index === 0 ? { kind: 'ok' } : { kind: 'wrong_expected_version', currentRevision: stream.lastRevision };
    }
    lastRevision = revision;
  }
  return { kind: 'idempotent', lastRevision: lastRevision as bigint };
}

/** Exact revision (no_stream is -1): the events must go right after it, or already be there. */
function checkAfterRevision(stream: StreamFacts, expected: bigint, ids: readonly string[]): CommitDecision {
  const current = stream.lastRevision;
  if (expected === current) return { kind: 'ok' };
  const wrong: CommitDecision = { kind: 'wrong_expected_version', currentRevision: current };
  if (expected > current || ids.length === 0) return wrong;
  const allThere = ids.every((id, index) => stream.idAt(expected + 1n + BigInt(index)) === id);
  return allThere ? { kind: 'idempotent', lastRevision: expected + BigInt(ids.length) } : wrong;
}
