import { historyBench } from './history/index.js';
import { HISTORY_SIZES } from './history/sizes.js';
import { orchestrationBench } from './orchestration/index.js';
import { peerBench } from './peer/index.js';
import { serviceBench } from './service/index.js';
import { ORCHESTRATION_SIZES } from './orchestration/sizes.js';
import type { SectionFlags } from './support/cli.js';
import type { BenchSection } from './support/section.js';
import { storeBench } from './store/index.js';
import { STORE_SIZES } from './store/sizes.js';

export interface BenchSectionEntry extends SectionFlags {
  /** What `--only` selects. */
  readonly id: string;
  /** Shown when the section fails before naming itself. */
  readonly title: string;
  readonly run: BenchSection;
}

/** Every section, in the order they run: store → orchestration → peer (it compares with both) → service → history. */
export function benchSections(env: NodeJS.ProcessEnv): BenchSectionEntry[] {
  const esdb = env.EVENTSTORE_CONNECTION_STRING;
  return [
    { id: 'store', title: 'store: SQLite', run: storeBench, sizes: STORE_SIZES },
    { id: 'orchestration', title: 'orchestration: SQLite', run: orchestrationBench({ kind: 'sqlite' }), sizes: ORCHESTRATION_SIZES },
    ...(esdb === undefined || esdb === ''
      ? []
      : [{ id: 'orchestration', title: 'orchestration: EventStoreDB', run: orchestrationBench({ kind: 'esdb', connectionString: esdb }), sizes: ORCHESTRATION_SIZES }]),
    { id: 'peer', title: 'peer: Emmett, DBOS, BullMQ', run: peerBench },
    { id: 'service', title: 'service', run: serviceBench },
    { id: 'history', title: 'history', run: historyBench, sizes: HISTORY_SIZES },
  ];
}
