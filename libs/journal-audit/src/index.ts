// Exported journals: their NDJSON lines, reading them, and the checks an auditor runs on them
// without the store, and the replay of a journal into fresh read models. Shared by the CLI
// (`runtree journal export|verify`, `runtree replay`) and the service's console routes.
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
export { withLiveStore, type AuditedStores, type LiveStore } from './live-store.js';
export { ReadModelBuilder, type Rebuilt, type ReplayProgress } from './replay/read-model-builder.js';
export { liveView, replayedView, replayedViews, type RunView } from './replay/run-view.js';
