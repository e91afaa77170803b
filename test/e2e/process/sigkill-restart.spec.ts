import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CollectResult } from '@runtree/orchestration';
import { buildTrees, fireBurst, planBurst, sendCommand, type Command } from './burst.js';
import { effectOf, type Effect } from './effects.js';
import { isSuccess, RuntreeClient, successBody } from './runtree-client.js';
import { buildService, ServiceHost } from './service-process.js';

/** Each cycle kills the process once; the share of its burst acknowledged by then differs per cycle. */
const KILL_POINTS = [0.15, 0.3, 0.45, 0.6, 0.75];
const BUILD_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 60_000;

let host: ServiceHost | undefined;
beforeAll(async () => {
  await buildService();
  host = await ServiceHost.create();
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await host?.dispose();
});

async function effectsOf(client: RuntreeClient, commands: readonly Command[]): Promise<Map<Command, Effect>> {
  return new Map(await Promise.all(commands.map(async (command) => [command, await effectOf(client, command)] as const)));
}

/** Each root's whole tree with its journal: what the read models answer. */
async function collectTrees(client: RuntreeClient, roots: readonly string[]): Promise<CollectResult[]> {
  return Promise.all(roots.map(async (root) => successBody<CollectResult>(await client.get(`/runs/${root}?includeDescendants=true&includeJournal=true`))));
}

/** The keys of the commands that fail `check` (so a failure names them). */
async function keysFailing(commands: readonly Command[], check: (command: Command) => boolean | Promise<boolean>): Promise<string[]> {
  const passed = await Promise.all(commands.map(check));
  return commands.filter((_, index) => !passed[index]).map((command) => command.key);
}

const resend = async (client: RuntreeClient, command: Command) => isSuccess((await sendCommand(client, command)).status);

describe('the service killed with SIGKILL mid-burst and started again on the same SQLite file', () => {
  it(
    'keeps every acknowledged command, applies the others all or nothing and exactly once on retry, and its read models match a rebuild',
    async () => {
      const roots: string[] = [];
      let service = await host!.start();
      for (const [cycle, killPoint] of KILL_POINTS.entries()) {
        const trees = await buildTrees(new RuntreeClient(service.baseUrl), `c${cycle}`);
        roots.push(...trees.roots);
        const commands = planBurst(trees);
        const outcomes = await fireBurst(new RuntreeClient(service.baseUrl), commands, Math.round(commands.length * killPoint), service.kill);
        const acknowledged = outcomes.filter((outcome) => outcome.acknowledged).map((outcome) => outcome.command);
        const unacknowledged = outcomes.filter((outcome) => !outcome.acknowledged).map((outcome) => outcome.command);
        // Every answer the dead process gave was a success or none at all; and the kill fell mid-burst.
        expect({ cycle, refused: outcomes.filter((outcome) => outcome.status !== undefined && !outcome.acknowledged) }).toEqual({ cycle, refused: [] });
        expect({ cycle, unacknowledged: unacknowledged.length > 0 }).toEqual({ cycle, unacknowledged: true });

        service = await host!.start();
        const client = new RuntreeClient(service.baseUrl);
        const effects = await effectsOf(client, commands);
        expect({ cycle, lost: await keysFailing(acknowledged, (command) => effects.get(command) === 'applied') }).toEqual({ cycle, lost: [] });
        // Torn covers a cancel that left part of its tree running: recovery must have finished it.
        expect({ cycle, tornOrDuplicated: await keysFailing(commands, (command) => ['applied', 'absent'].includes(effects.get(command)!)) }).toEqual({ cycle, tornOrDuplicated: [] });

        expect({ cycle, retriesRefused: await keysFailing(unacknowledged, (command) => resend(client, command)) }).toEqual({ cycle, retriesRefused: [] });
        const afterRetries = await effectsOf(client, commands);
        expect({ cycle, notApplied: await keysFailing(commands, (command) => afterRetries.get(command) === 'applied') }).toEqual({ cycle, notApplied: [] });

        // Sent once more, every command answers and appends nothing: each was applied exactly once.
        const collected = await collectTrees(client, roots);
        expect({ cycle, resendsRefused: await keysFailing(commands, (command) => resend(client, command)) }).toEqual({ cycle, resendsRefused: [] });
        expect(await collectTrees(client, roots)).toEqual(collected);
        successBody(await client.post('/admin/rebuild', {}));
        expect(await collectTrees(client, roots)).toEqual(collected);
      }
      await service.kill();
    },
    TEST_TIMEOUT_MS,
  );
});
