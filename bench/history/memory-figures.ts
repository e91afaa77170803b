import { setTimeout as delay } from 'node:timers/promises';
import { repeat } from '../support/repeat.js';
import type { BenchContext } from '../support/section.js';
import type { SectionRun } from '../support/section-run.js';
import { removeSqliteFiles } from '../support/sqlite-files.js';
import { perSecond } from '../support/stats.js';
import { formatNumber } from '../support/table.js';
import { completeBody, writeCompletedRuns } from './http-runs.js';
import { startServiceChild } from './service-child.js';
import type { HistorySizes } from './sizes.js';

const MiB = 2 ** 20;
/** The budget for the service's heap and RSS, at every point. */
export const MEMORY_BUDGET_MIB = 256;
/** "Flat": the last point at most this far above the first, for heap and for RSS. */
export const FLAT_MIB = 16;
const POINTS = [
  { key: 'Quarter', share: 1 / 4 },
  { key: 'Half', share: 1 / 2 },
  { key: 'All', share: 1 },
] as const;

interface Readings {
  readonly heapMiB: number[];
  readonly rssMiB: number[];
}

/**
 * The service's heap and RSS as runs with large outputs pile up: one service process with the memory
 * probe, runs written over HTTP, and at each point `runs` readings of its memory after a full gc.
 */
export async function measureMemory(context: BenchContext, sizes: HistorySizes, run: SectionRun): Promise<void> {
  const total = sizes['memory-runs'];
  const body = completeBody(sizes['memory-output-bytes']);
  const path = context.dataDir.freshFile('history-memory.sqlite');
  try {
    const service = await startServiceChild(path, { readyTimeoutMs: 120_000, memoryProbe: true });
    try {
      const read = async (): Promise<Readings> => {
        const usages = await repeat(context.runs, 0, () => service.memory());
        return { heapMiB: usages.map((usage) => usage.heapUsed / MiB), rssMiB: usages.map((usage) => usage.rss / MiB) };
      };
      const atStart = await read();
      run.add({ key: 'heapAtStart', label: 'service heap on an empty store, after gc', unit: 'MiB', samples: atStart.heapMiB });
      run.add({ key: 'rssAtStart', label: 'service RSS on an empty store', unit: 'MiB', samples: atStart.rssMiB });

      const points: Readings[] = [];
      let written = 0;
      let writingMs = 0;
      for (const point of POINTS) {
        const runs = Math.round(total * point.share);
        context.progress(`memory: writing runs ${formatNumber(written)} to ${formatNumber(runs)} over HTTP (${sizes['memory-connections']} in flight, ${formatNumber(body.length)}-byte complete bodies)`);
        const started = performance.now();
        await writeCompletedRuns(service.baseUrl, runs - written, sizes['memory-connections'], body, written).catch(async (error: unknown) => {
          // The connections may break before the process's exit is reaped.
          await delay(1000);
          const exit = service.exitStatus();
          // A service that ran out of memory is this figure's answer: say so rather than "fetch failed".
          if (exit === undefined) throw error;
          throw new Error(`the service ${exit} while runs ${formatNumber(written)} to ${formatNumber(runs)} were written; its last output:\n${service.lastOutput()}`);
        });
        writingMs += performance.now() - started;
        written = runs;
        const readings = await read();
        points.push(readings);
        const label = `after ${formatNumber(runs)} runs with ${formatNumber(body.length / 1024)} KiB outputs`;
        const budget = { kind: 'atMost', value: MEMORY_BUDGET_MIB } as const;
        run.add({ key: `heapAt${point.key}`, label: `service heap ${label}, after gc`, unit: 'MiB', samples: readings.heapMiB, target: budget });
        run.add({ key: `rssAt${point.key}`, label: `service RSS ${label}`, unit: 'MiB', samples: readings.rssMiB, target: budget });
      }
      const first = points[0];
      const last = points[points.length - 1];
      const growth = (from: number[], to: number[]) => to.map((value, index) => value - from[index]);
      const span = `${formatNumber(Math.round(total / 4))} → ${formatNumber(total)} runs`;
      run.add({ key: 'heapGrowth', label: `service heap growth, ${span}`, unit: 'MiB', samples: growth(first.heapMiB, last.heapMiB), target: { kind: 'atMost', value: FLAT_MIB } });
      run.add({ key: 'rssGrowth', label: `service RSS growth, ${span}`, unit: 'MiB', samples: growth(first.rssMiB, last.rssMiB), target: { kind: 'atMost', value: FLAT_MIB } });
      run.add({ key: 'httpRunRate', label: `runs written over HTTP (start + complete), ${sizes['memory-connections']} in flight`, unit: 'runs/s', samples: [perSecond(total, writingMs)] });
      await service.stop();
    } finally {
      await service.kill();
    }
  } finally {
    if (!context.keepData) removeSqliteFiles(path);
  }
}
