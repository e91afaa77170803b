import type { Run } from '@runtree/orchestration';
import { exitCodes } from './cli-error.js';
import { onePositional, storeOption, stringOption, type Command } from './command.js';
import { between, formatDuration } from './format.js';
import { withLiveStore } from '@runtree/journal-audit';
import { chooseStore, orNotFound } from './live-store.js';
import { runLabel } from './run-label.js';
import { nestByParent, renderTree } from './tree-diagram.js';

export const treeCommand: Command = {
  name: 'tree',
  usage: 'runtree tree <runId> [--sqlite PATH]',
  summary: 'show the run and its descendants as an indented diagram',
  options: { ...storeOption },
  async run(values, positionals) {
    const runId = onePositional(positionals, 'the run id');
    const store = chooseStore(stringOption(values, 'sqlite'));
    const collected = await withLiveStore(store, ({ orchestrator }) =>
      orNotFound(runId, orchestrator.collect(runId, { includeDescendants: true, includeSteps: false, includeJournal: false })),
    );
    const runs = [collected.run, ...(collected.descendants ?? []).map((child) => child.run)];
    const now = new Date().toISOString();
    const label = (run: Run): string => `${runLabel(run)}  age ${formatDuration(between(run.createdAt, now))}`;
    // The top run may itself be a child: its parent is not among the runs, so it is the one root.
    const [root] = nestByParent(runs, (run) => run.runId, (run) => (run.runId === runId ? undefined : run.parentRunId));
    for (const line of renderTree(root, label)) console.log(line);
    return exitCodes.ok;
  },
};
