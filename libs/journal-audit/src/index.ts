// Exported journals: their NDJSON lines, reading them, and the checks an auditor runs on them
// without the store. Shared by the CLI (`runtree journal export|verify`) and the service's console routes.
export {
  endOf,
  journalEventOf,
  lineOf,
  metadataField,
  parseLine,
  readJournalFile,
  recordedEventOf,
  serializeEnd,
  serializeLine,
  type Journal,
  type JournalEnd,
  type JournalEvent,
  type JournalLine,
  type MalformedLine,
} from './journal-file.js';
export { exportedLines, journalOfLines } from './exported-journal.js';
export { formatProblem, verifyJournal, type Problem } from './verify/index.js';
