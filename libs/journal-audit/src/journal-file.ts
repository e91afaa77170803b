import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { positionFromString, type JsonValue, type RecordedEvent } from '@runtree/event-store';
import { JsonValueCodec, type JournalEntry } from '@runtree/orchestration';
import { describeDecodeErrors } from './decode-errors.js';

const DecimalString = new t.Type<string, string, unknown>(
  'a revision (decimal digits)',
  (u): u is string => typeof u === 'string' && /^\d+$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d+$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const PositionString = new t.Type<string, string, unknown>(
  'a position (commit/prepare)',
  (u): u is string => typeof u === 'string' && /^\d+\/\d+$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d+\/\d+$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const IsoTime = new t.Type<string, string, unknown>(
  'an ISO-8601 time',
  (u): u is string => typeof u === 'string' && !Number.isNaN(Date.parse(u)),
  (u, c) => (typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** One event of an exported journal: one line of the NDJSON file. */
export const JournalLineCodec = t.type({
  stream: t.string,
  revision: DecimalString,
  position: PositionString,
  type: t.string,
  eventId: t.string,
  created: IsoTime,
  data: JsonValueCodec,
  metadata: JsonValueCodec,
  /** The event's hash (also in its metadata), so a reader sees the chain without parsing metadata. */
  hash: t.string,
});
export type JournalLine = t.TypeOf<typeof JournalLineCodec>;

/**
 * The last line of an export: what was exported and where each stream ended, so a cut-off
 * journal is told apart from a complete one, and an auditor can keep the head hashes.
 */
export const JournalEndCodec = t.type({
  end: t.type({
    runId: t.string,
    tree: t.boolean,
    eventCount: t.number,
    streams: t.record(t.string, t.type({ lastRevision: DecimalString, lastHash: t.string })),
  }),
});
export type JournalEnd = t.TypeOf<typeof JournalEndCodec>['end'];

export interface JournalEvent {
  /** 1-based line of the file (or index in an in-memory export). */
  readonly lineNumber: number;
  readonly line: JournalLine;
  /** The line as the store gave it (revision and position back to bigints). */
  readonly recorded: RecordedEvent;
}

export interface MalformedLine {
  readonly lineNumber: number;
  readonly reason: string;
}

export interface Journal {
  /** The file path, or `store:<runId>`. */
  readonly source: string;
  readonly events: readonly JournalEvent[];
  readonly end: JournalEnd | undefined;
  readonly malformed: readonly MalformedLine[];
}

export function metadataField(metadata: JsonValue, key: string): JsonValue | undefined {
  return metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata[key] : undefined;
}

/** The journal line of an event the store gave (through `collect`). */
export function lineOf(entry: JournalEntry): JournalLine {
  const hash = metadataField(entry.metadata, 'hash');
  return {
    stream: entry.streamName,
    revision: entry.revision,
    position: entry.position,
    type: entry.type,
    eventId: entry.eventId,
    created: entry.created,
    data: entry.data,
    metadata: entry.metadata,
    hash: typeof hash === 'string' ? hash : '',
  };
}

export function recordedEventOf(line: JournalLine): RecordedEvent {
  return {
    id: line.eventId,
    type: line.type,
    streamName: line.stream,
    revision: BigInt(line.revision),
    position: positionFromString(line.position),
    data: line.data,
    metadata: line.metadata,
    created: new Date(line.created),
  };
}

export function journalEventOf(line: JournalLine, lineNumber: number): JournalEvent {
  return { lineNumber, line, recorded: recordedEventOf(line) };
}

/** Where each stream of these lines ends, for the end record. */
export function endOf(lines: readonly JournalLine[], runId: string, tree: boolean): JournalEnd {
  const streams: JournalEnd['streams'] = {};
  for (const line of lines) streams[line.stream] = { lastRevision: line.revision, lastHash: line.hash };
  return { runId, tree, eventCount: lines.length, streams };
}

export function serializeLine(line: JournalLine): string {
  return JSON.stringify(line);
}

export function serializeEnd(end: JournalEnd): string {
  return JSON.stringify({ end });
}

/** Parses one line: an event, the end record, or a reason it is neither. */
export function parseLine(text: string): { event: JournalLine } | { end: JournalEnd } | { malformed: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { malformed: 'not JSON' };
  }
  if (value !== null && typeof value === 'object' && 'end' in value) {
    const end = JournalEndCodec.decode(value);
    return E.isRight(end) ? { end: end.right.end } : { malformed: `not an end record: ${describeDecodeErrors(end.left)}` };
  }
  const line = JournalLineCodec.decode(value);
  return E.isRight(line) ? { event: line.right } : { malformed: `not a journal event: ${describeDecodeErrors(line.left)}` };
}

/** Reads an NDJSON journal line by line; malformed lines are kept as such, for verify to name. */
export async function readJournalFile(path: string): Promise<Journal> {
  const events: JournalEvent[] = [];
  const malformed: MalformedLine[] = [];
  let end: JournalEnd | undefined;
  let lineNumber = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === '') continue;
    if (end !== undefined) {
      malformed.push({ lineNumber, reason: 'comes after the end record' });
      continue;
    }
    const parsed = parseLine(text);
    if ('event' in parsed) events.push(journalEventOf(parsed.event, lineNumber));
    else if ('end' in parsed) end = parsed.end;
    else malformed.push({ lineNumber, reason: parsed.malformed });
  }
  return { source: path, events, end, malformed };
}
