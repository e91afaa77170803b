import { readFile, writeFile } from 'node:fs/promises';
import type { JsonValue } from '@runtree/event-store';
import { eventHash } from '@runtree/orchestration';

/** A journal line as the tests edit it. */
export interface Line {
  stream: string;
  revision: string;
  position: string;
  type: string;
  eventId: string;
  created: string;
  data: JsonValue;
  metadata: { [key: string]: JsonValue };
  hash: string;
}

export interface EndRecord {
  end: { runId: string; tree: boolean; eventCount: number; streams: { [stream: string]: { lastRevision: string; lastHash: string } } };
}

export interface JournalText {
  lines: Line[];
  end: EndRecord | undefined;
}

export async function readJournal(path: string): Promise<JournalText> {
  const parsed = (await readFile(path, 'utf8'))
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text) as Line | EndRecord);
  const last = parsed.at(-1);
  const end = last !== undefined && 'end' in last ? last : undefined;
  return { lines: parsed.filter((line): line is Line => !('end' in line)), end };
}

export async function writeJournal(path: string, { lines, end }: JournalText): Promise<void> {
  await writeFile(path, [...lines, ...(end ? [end] : [])].map((line) => `${JSON.stringify(line)}\n`).join(''));
}

/** The metadata an event is hashed with: its own, following `prevHash`, without `hash`. */
export function chainedMetadata(metadata: { [key: string]: JsonValue }, prevHash: string): { [key: string]: JsonValue } {
  const unhashed: { [key: string]: JsonValue } = { ...metadata, prevHash };
  delete unhashed.hash;
  return unhashed;
}

/**
 * What a forger with Runtree's own library can do: renumber each stream's revisions in file order,
 * re-chain every hash and rewrite the end record, so that only the checks beyond the chain can
 * catch the edit.
 */
export function forge({ lines, end }: JournalText): JournalText {
  const revisionOf = new Map<string, number>();
  const hashOf = new Map<string, string>();
  const forged = lines.map((line) => {
    const revision = revisionOf.get(line.stream) ?? 0;
    revisionOf.set(line.stream, revision + 1);
    const prevHash = hashOf.get(line.stream) ?? '';
    const unhashed = chainedMetadata(line.metadata, prevHash);
    const hash = eventHash(prevHash, { streamName: line.stream, revision: BigInt(revision), id: line.eventId, type: line.type, data: line.data, metadata: unhashed });
    hashOf.set(line.stream, hash);
    return { ...line, revision: String(revision), metadata: { ...unhashed, hash }, hash };
  });
  const streams = Object.fromEntries([...hashOf].map(([stream, lastHash]) => [stream, { lastRevision: String(revisionOf.get(stream)! - 1), lastHash }]));
  return { lines: forged, end: end && { end: { ...end.end, eventCount: forged.length, streams } } };
}

export const streamOf = (runId: string): string => `run-${runId}`;

/** The index of the first line of this stream and type. */
export function indexOf(journal: JournalText, stream: string, type: string): number {
  const index = journal.lines.findIndex((line) => line.stream === stream && line.type === type);
  if (index < 0) throw new Error(`no ${type} in ${stream}`);
  return index;
}

/** A deep copy made in the test's own realm (structuredClone's objects fail the codecs' plain-object check under jest). */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
