import { exitCodes } from './cli-error.js';
import { flag, onePositional, storeOption, stringOption, type Command } from './command.js';
import { endOf, serializeEnd, serializeLine, withLiveStore } from '@runtree/journal-audit';
import { storedLines } from './journal-source.js';
import { chooseStore } from './live-store.js';
import { openOutput, writeLines } from './output.js';
import { progressBar } from './progress.js';

export const exportCommand: Command = {
  name: 'journal export',
  usage: 'runtree journal export <runId> [--tree] [--out FILE] [--sqlite PATH]',
  summary: "write a run's journal (with --tree, its whole tree's, in commit order) as NDJSON",
  options: { tree: { type: 'boolean' }, out: { type: 'string' }, ...storeOption },
  async run(values, positionals) {
    const runId = onePositional(positionals, 'the run id');
    const tree = flag(values, 'tree');
    const store = chooseStore(stringOption(values, 'sqlite'));
    const lines = await withLiveStore(store, ({ orchestrator }) => storedLines(orchestrator, runId, tree));
    const output = await openOutput(stringOption(values, 'out'));
    const progress = progressBar('exporting', lines.length);
    await writeLines(lines.map(serializeLine), output.stream, () => progress.advance());
    await writeLines([serializeEnd(endOf(lines, runId, tree))], output.stream);
    await output.finish();
    progress.done();
    return exitCodes.ok;
  },
};
