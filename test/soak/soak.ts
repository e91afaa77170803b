/**
 * `npm run soak -- [--duration 60] [--clients 200] [--seed N]`: the service in this process, and that
 * many concurrent keep-alive HTTP clients mixing spawns, delegations, completes, awaits and cancels on
 * the same trees for the duration. Afterwards every tree invariant holds, every await was answered,
 * nothing answered 5xx, no await watcher is left, a rebuild gives back the read models, and the heap
 * came back to its level after the warm-up. Exits non-zero on any violation.
 */
import { RuntreeClient, successBody } from '../e2e/process/runtree-client.js';
import { seededRandom, type SeededRandom } from '../support/seeded-random.js';
import { treeViolations } from '../support/tree-invariants.js';
import { mebibytes, settledHeapUsed } from './heap.js';
import { collectTrees, treeAndRebuildViolations, watcherViolations } from './soak-checks.js';
import { SoakFigures } from './soak-figures.js';
import { LONGEST_AWAIT_MS, REQUEST_TIMEOUT_MS, RunPool, runClient, seedRoots } from './soak-load.js';
import { parseSoakOptions, USAGE, type SoakOptions } from './soak-options.js';
import { startSoakService, type SoakService } from './soak-service.js';

/**
 * How far the heap may end above its level after the warm-up. Both are measured with the read models
 * emptied (admin clear) and after full collections. What may still grow is bounded by design: the
 * write side's cache of folded streams keeps up to 20,000 streams (a 60 s soak grew the heap by about
 * 1.4 KiB per run of its load, so under 28 MiB once the cache is full), plus pooled sockets. A leak
 * per await (each watcher holds a store subscription) over the awaits of a full soak shows above it;
 * the watcher and waiter counts are checked exactly besides.
 */
const HEAP_TOLERANCE_BYTES = 48 * 2 ** 20;

/** Clients per root started before the load: they share the trees from the first request on. */
const ROOTS_PER_SEEDED_TREE = 10;
/** Margin on top of the longest await for the last waiters to be answered on a loaded machine. */
const WATCHER_SETTLE_MARGIN_MS = 10_000;

const log = (line: string) => console.log(`soak: ${line}`);

/** `clients` clients on the pool until `durationS` is over; resolves when the last one has its last answer. */
async function runLoad(service: SoakService, pool: RunPool, random: SeededRandom, clients: number, durationS: number, figures: SoakFigures): Promise<void> {
  const client = new RuntreeClient(service.baseUrl, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  await seedRoots(client, pool, Math.ceil(clients / ROOTS_PER_SEEDED_TREE));
  const deadline = Date.now() + durationS * 1000;
  await Promise.all(Array.from({ length: clients }, () => runClient(client, pool, seededRandom(random.int(0, 2 ** 31 - 1)), deadline, figures)));
}

/** The measured load, then every check that needs its state; the state is gone when this returns. */
async function loadAndCheck(service: SoakService, client: RuntreeClient, random: SeededRandom, clients: number, durationS: number, warmUpRoots: readonly string[]): Promise<string[]> {
  const figures = new SoakFigures();
  const pool = new RunPool();
  const started = Date.now();
  await runLoad(service, pool, random, clients, durationS, figures);
  log(`load over after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const line of figures.describe()) log(line);

  const violations = [...figures.unexpected.slice(0, 20), ...figures.transportErrors.slice(0, 20)];
  if (figures.unexpected.length + figures.transportErrors.length > 40) violations.push('(more unexpected answers left out)');
  if (figures.ok === 0) violations.push('no command was acknowledged: the load did not run');
  if (figures.awaitsUnanswered !== 0) violations.push(`${figures.awaitsUnanswered} awaits got no answer`);
  violations.push(...(await watcherViolations(service.baseUrl, service, LONGEST_AWAIT_MS + WATCHER_SETTLE_MARGIN_MS)));
  const trees = await treeAndRebuildViolations(client, pool.roots, pool.promised);
  violations.push(...trees.violations);
  // The rebuild brought the warm-up's trees back too: they must hold as well.
  violations.push(...treeViolations(await collectTrees(client, warmUpRoots)));
  const duplicated = violations.filter((violation) => violation.endsWith('appears more than once in the trees')).length;
  log(
    `trees checked: ${pool.roots.length} roots and ${trees.runs} runs of the load, ${warmUpRoots.length} roots of the warm-up; ` +
      `acknowledged ${pool.promised.size} runs, lost ${trees.lost}, duplicated ${duplicated}`,
  );
  return violations;
}

async function soak({ durationS, clients, seed }: SoakOptions): Promise<string[]> {
  log(`${clients} clients for ${durationS} s, seed ${seed} (--seed ${seed} replays the clients' choices)`);
  const service = await startSoakService();
  try {
    const random = seededRandom(seed);
    const client = new RuntreeClient(service.baseUrl);
    const warmUpS = Math.min(5, Math.max(1, Math.round(durationS / 6)));
    const warmUp = new RunPool();
    await runLoad(service, warmUp, random, clients, warmUpS, new SoakFigures());
    successBody(await client.admin('clear'));
    const heapStart = await settledHeapUsed();
    log(`warmed up for ${warmUpS} s; heap ${mebibytes(heapStart)} with the read models cleared`);

    const violations = await loadAndCheck(service, client, random, clients, durationS, warmUp.roots);

    successBody(await client.admin('clear'));
    const heapEnd = await settledHeapUsed();
    const growth = heapEnd - heapStart;
    log(`heap ${mebibytes(heapStart)} after the warm-up, ${mebibytes(heapEnd)} at the end (${growth >= 0 ? '+' : ''}${mebibytes(growth)}; tolerance ${mebibytes(HEAP_TOLERANCE_BYTES)})`);
    if (growth > HEAP_TOLERANCE_BYTES) violations.push(`the heap grew by ${mebibytes(growth)}, more than ${mebibytes(HEAP_TOLERANCE_BYTES)}`);
    log(`watchers ${service.watchers.watcherCount}, waiters ${service.watchers.waiterCount}`);
    return violations;
  } finally {
    await service.close();
  }
}

async function main(): Promise<number> {
  const parsed = parseSoakOptions(process.argv.slice(2));
  if (parsed.ok === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!parsed.ok) {
    console.error(`soak: ${parsed.error}\n${USAGE}`);
    return 2;
  }
  const violations = await soak(parsed.options);
  for (const violation of violations) console.error(`soak: VIOLATION ${violation}`);
  log(violations.length === 0 ? 'passed' : `failed with ${violations.length} violations`);
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
