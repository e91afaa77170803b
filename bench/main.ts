/**
 * `npm run bench`: the disk's limit, the event store, the peer, the orchestrator and the service,
 * measured in one run on the same machine. Prints a table per section and a summary of the
 * targets, and writes bench/results/latest.json. `--help` lists the flags and sizes.
 */
import { benchSections } from './sections.js';
import { benchUsage, parseBenchArgs, type BenchOptions } from './support/cli.js';
import { cpuMicrosSince } from './support/cpu.js';
import { createDataDir } from './support/data-dir.js';
import { gitCommit } from './support/git-commit.js';
import { describeMachine, formatMachine } from './support/machine.js';
import { formatSection, formatSummary, type SectionOutcome } from './support/report.js';
import { writeResults } from './support/results-file.js';
import type { BenchFigure } from './support/section.js';

async function main(): Promise<void> {
  const sections = benchSections(process.env);
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(process.argv.slice(2), sections);
  } catch (error) {
    console.error(`${messageOf(error)}\nSee: npm run bench -- --help`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(benchUsage(sections));
    return;
  }

  const startedAt = new Date().toISOString();
  const machineAtStart = describeMachine();
  const dataDir = createDataDir('runtree-bench', options.dataDir);
  const figures = new Map<string, BenchFigure>();
  const outcomes: SectionOutcome[] = [];
  const runsText = `median of ${options.runs} runs after ${options.warmups} warm-up${options.warmups === 1 ? '' : 's'}`;
  console.log(`Runtree bench${options.quick ? ' (--quick)' : ''}, ${runsText}\nstart: ${formatMachine(machineAtStart)}\ndata:  ${dataDir.path}\n`);
  try {
    for (const section of sections.filter((candidate) => options.only.includes(candidate.id))) {
      const started = performance.now();
      const cpuAtStart = process.cpuUsage();
      const seconds = () => (performance.now() - started) / 1000;
      const cpuSeconds = () => cpuSecondsSince(cpuAtStart);
      const progress = (message: string) => console.error(`[bench:${section.id} ${seconds().toFixed(1).padStart(5)} s] ${message}`);
      progress(`${section.title}: starting`);
      let outcome: SectionOutcome;
      try {
        const result = await section.run({ ...options, dataDir, progress, figures, sizeOverrides: options.sizeOverrides });
        for (const figure of result.figures) figures.set(figure.key, figure);
        outcome = { ...result, seconds: seconds(), cpuSeconds: cpuSeconds() };
      } catch (error) {
        // A failing section (a peer that is down, a bug) must not hide the other sections' figures.
        console.error(error);
        outcome = { name: section.title, seconds: seconds(), cpuSeconds: cpuSeconds(), error: messageOf(error) };
      }
      outcomes.push(outcome);
      console.log(`${formatSection(outcome)}\n`);
    }
  } finally {
    if (options.keepData) console.error(`[bench] data kept in ${dataDir.path}`);
    else dataDir.remove();
  }

  const machineAtEnd = describeMachine();
  console.log(formatSummary(outcomes));
  console.log(`end:   load average ${machineAtEnd.loadAverage}`);
  const path = writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    gitCommit: gitCommit() ?? null,
    machine: { atStart: machineAtStart, atEnd: machineAtEnd },
    config: { ...options, sizeOverrides: Object.fromEntries(options.sizeOverrides), dataDir: dataDir.path },
    sections: outcomes,
  });
  console.log(`Results written to ${path}`);
  if (outcomes.some((outcome) => outcome.error !== undefined || (outcome.failures?.length ?? 0) > 0)) process.exitCode = 1;
}

/** This process's CPU time since `start`: far below the wall time means the machine was busy with other work. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  return cpuMicrosSince(start) / 1e6;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
