import { liveView, ReadModelBuilder, replayedViews, withLiveStore, type LiveStore, type Rebuilt, type RunView } from '@runtree/journal-audit';
import { schemaRegistry } from '@runtree/orchestration';
import { exitCodes, UsageError } from './cli-error.js';
import { flag, storeOption, stringOption, type Command, type OptionValues } from './command.js';
import { between, counted, formatDuration } from './format.js';
import { journalFromFile } from './journal-source.js';
import { chooseStore } from './live-store.js';
import { progressBar } from './progress.js';
import { compareView, formatDifference, type Difference } from './replay/compare.js';
import { runLabel } from './run-label.js';
import { nestByParent, renderTree } from './tree-diagram.js';

interface Replayed extends Rebuilt {
  readonly source: string;
  /** The exported run of a file: its link is in its parent's stream, outside the journal. */
  readonly exportedRunId: string | undefined;
}

async function replayFile(path: string): Promise<Replayed> {
  const journal = await journalFromFile(path);
  const [malformed] = journal.malformed;
  if (malformed !== undefined) throw new UsageError(`${path} line ${malformed.lineNumber}: ${malformed.reason} (see runtree journal verify)`);
  const builder = new ReadModelBuilder(schemaRegistry, progressBar('replaying', journal.events.length));
  for (const event of journal.events) await builder.apply(event.recorded);
  return { ...(await builder.finish()), source: path, exportedRunId: journal.end?.runId };
}

async function replayStore(live: LiveStore): Promise<Replayed> {
  const builder = new ReadModelBuilder(schemaRegistry, progressBar('replaying', undefined));
  for await (const event of live.wholeLog()) await builder.apply(event);
  return { ...(await builder.finish()), source: 'the whole store', exportedRunId: undefined };
}

async function differencesFromLive(live: LiveStore, replayed: Replayed, views: readonly RunView[]): Promise<Difference[]> {
  const differences: Difference[] = [];
  for (const view of views) {
    const current = await liveView(live.orchestrator, view.run.runId);
    differences.push(...compareView(view, current, view.run.runId !== replayed.exportedRunId));
  }
  return differences;
}

function viewLabel(view: RunView): string {
  const { run } = view;
  const elapsed = formatDuration(between(run.createdAt, run.updatedAt));
  const timing = run.status === 'running' ? `last event +${elapsed}` : `took ${elapsed}`;
  return `${runLabel(run)}  steps ${view.stepCount} (${view.activeStepCount} running)  children ${view.childCount} (${view.activeChildCount} running)  ${timing}`;
}

function printHuman(replayed: Replayed, views: readonly RunView[], differences: readonly Difference[] | undefined): void {
  const trees = nestByParent(views, (view) => view.run.runId, (view) => view.link?.parentRunId);
  console.log(`replayed ${counted(replayed.eventCount, 'event')} from ${replayed.source}: ${counted(views.length, 'run')} in ${counted(trees.length, 'tree')}`);
  for (const skipped of replayed.skipped) console.log(`skipped ${skipped}`);
  for (const tree of trees) for (const line of renderTree(tree, viewLabel)) console.log(line);
  if (differences === undefined) return;
  for (const difference of differences) console.log(`difference: ${formatDifference(difference)}`);
  console.log(differences.length === 0 ? 'no difference from the live read models' : `${counted(differences.length, 'difference')} from the live read models`);
}

interface ReplayOutcome {
  readonly replayed: Replayed;
  readonly views: RunView[];
  /** Only with --compare. */
  readonly differences?: Difference[];
}

/** Replays a file (or, with `file` undefined, the whole store); the store is opened only when read or compared against. */
async function replay(file: string | undefined, compare: boolean, values: OptionValues): Promise<ReplayOutcome> {
  const viewsOf = async (replayed: Replayed): Promise<ReplayOutcome> => {
    try {
      return { replayed, views: await replayedViews(replayed.models, replayed.runIds) };
    } finally {
      await replayed.models.close();
    }
  };
  if (file !== undefined && !compare) return viewsOf(await replayFile(file));
  return withLiveStore(chooseStore(stringOption(values, 'sqlite')), async (live) => {
    const outcome = await viewsOf(file === undefined ? await replayStore(live) : await replayFile(file));
    return compare ? { ...outcome, differences: await differencesFromLive(live, outcome.replayed, outcome.views) } : outcome;
  });
}

export const replayCommand: Command = {
  name: 'replay',
  usage: 'runtree replay <FILE | --all> [--json] [--compare] [--sqlite PATH]',
  summary: 'rebuild the lineage and status read models from a journal alone; --compare checks them against the live store',
  options: { all: { type: 'boolean' }, json: { type: 'boolean' }, compare: { type: 'boolean' }, ...storeOption },
  async run(values, positionals) {
    const all = flag(values, 'all');
    if (all === (positionals.length === 1) || positionals.length > 1) throw new UsageError('give one journal file, or --all for the whole store');
    const { replayed, views, differences } = await replay(all ? undefined : positionals[0], flag(values, 'compare'), values);
    if (flag(values, 'json')) {
      console.log(JSON.stringify({ source: replayed.source, eventCount: replayed.eventCount, skipped: replayed.skipped, runs: views, differences }, null, 2));
    } else {
      printHuman(replayed, views, differences);
    }
    return differences !== undefined && differences.length > 0 ? exitCodes.failed : exitCodes.ok;
  },
};
