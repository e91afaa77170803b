import type { Journal } from '../journal-file.js';
import type { Problem } from './problem.js';

/** The journal ends where the export said it does: no stream cut short, no event added at the end. */
export function checkEnd(journal: Journal): Problem[] {
  const { end, events } = journal;
  const afterLast = (events.at(-1)?.lineNumber ?? 0) + 1;
  if (end === undefined) {
    const last = events.at(-1);
    const lastSeen = last === undefined ? 'no event' : `the last event is ${last.line.stream}@${last.line.revision}`;
    return [{ where: `line ${afterLast}`, message: `no end record: the journal was cut short (${lastSeen})`, lineNumber: afterLast }];
  }
  const problems: Problem[] = [];
  const lastSeen = new Map<string, { revision: string; hash: string }>();
  for (const { line } of events) lastSeen.set(line.stream, { revision: line.revision, hash: line.hash });
  for (const [stream, expected] of Object.entries(end.streams)) {
    const seen = lastSeen.get(stream);
    if (seen === undefined) {
      problems.push({ where: stream, message: `missing: the end record says it ends at revision ${expected.lastRevision}`, lineNumber: afterLast });
    } else if (BigInt(seen.revision) < BigInt(expected.lastRevision)) {
      const from = BigInt(seen.revision) + 1n;
      const gone = from === BigInt(expected.lastRevision) ? `${stream}@${from} is` : `${stream}@${from}-${expected.lastRevision} are`;
      problems.push({ where: `${stream}@${expected.lastRevision}`, message: `cut short: ${gone} missing at the end of the stream`, lineNumber: afterLast });
    } else if (seen.revision !== expected.lastRevision || seen.hash !== expected.lastHash) {
      problems.push({ where: `${stream}@${seen.revision}`, message: `the stream's last event is not the one the end record names (${stream}@${expected.lastRevision})`, lineNumber: afterLast });
    }
  }
  for (const stream of lastSeen.keys()) {
    if (!(stream in end.streams)) problems.push({ where: stream, message: 'is not in the end record (added after the export)', lineNumber: afterLast });
  }
  if (end.eventCount !== events.length) {
    problems.push({ where: `line ${afterLast}`, message: `the end record counts ${end.eventCount} events, the journal has ${events.length}`, lineNumber: afterLast });
  }
  return problems;
}
