import { schemaRegistry } from '@runtree/orchestration';
import { exitCodes } from './cli-error.js';
import { counted } from './format.js';
import { flag, onePositional, storeOption, stringOption, type Command, type OptionValues } from './command.js';
import { formatProblem, verifyJournal, withLiveStore, type Journal } from '@runtree/journal-audit';
import { isJournalFile, journalFromFile, journalFromStore } from './journal-source.js';
import { chooseStore } from './live-store.js';

/** A journal file (see isJournalFile), else a run id whose journal is read from the store. */
async function loadJournal(fileOrRunId: string, values: OptionValues): Promise<Journal> {
  if (isJournalFile(fileOrRunId)) return journalFromFile(fileOrRunId);
  const store = chooseStore(stringOption(values, 'sqlite'));
  return withLiveStore(store, ({ orchestrator }) => journalFromStore(orchestrator, fileOrRunId, flag(values, 'tree')));
}

export const verifyCommand: Command = {
  name: 'journal verify',
  usage: 'runtree journal verify <FILE | runId> [--tree] [--sqlite PATH]',
  summary: 'check codecs, hash chains, revisions, lineage and completeness; exit 0 only when all hold',
  options: { tree: { type: 'boolean' }, ...storeOption },
  async run(values, positionals) {
    const journal = await loadJournal(onePositional(positionals, 'a journal file or run id'), values);
    const problems = verifyJournal(journal, schemaRegistry);
    for (const problem of problems) console.log(formatProblem(problem));
    const streams = new Set(journal.events.map((event) => event.line.stream)).size;
    const size = `${counted(journal.events.length, 'event')} in ${counted(streams, 'stream')}`;
    if (problems.length > 0) {
      console.log(`FAILED ${journal.source}: ${counted(problems.length, 'problem')}; ${size}`);
      return exitCodes.failed;
    }
    console.log(`OK ${journal.source}: ${size}; codecs, hash chains, revisions, lineage and the end record hold`);
    return exitCodes.ok;
  },
};
