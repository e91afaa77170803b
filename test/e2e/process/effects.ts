import type { Child, ChildStatus, CollectResult, Relation } from '@runtree/orchestration';
import type { Command } from './burst.js';
import { successBody, type RuntreeClient } from './runtree-client.js';

/**
 * What a command left in the service, as a client reads it: all of it (`applied`), none of it
 * (`absent`), part of it (`torn`), or a child linked more than once (`duplicated`).
 */
export type Effect = 'applied' | 'absent' | 'torn' | 'duplicated';

/** The body of a read, or undefined for a run the service does not know (a lost write reads as not applied). */
async function read<T>(client: RuntreeClient, path: string): Promise<T | undefined> {
  const reply = await client.get(path);
  return reply.status === 404 ? undefined : successBody<T>(reply);
}

async function spawnEffect(client: RuntreeClient, parentRunId: string, childRunId: string, relation: Relation): Promise<Effect> {
  const children = (await read<Child[]>(client, `/runs/${parentRunId}/children`)) ?? [];
  const links = children.filter((child) => child.run.runId === childRunId).length;
  if (links > 1) return 'duplicated';
  const child = await read<ChildStatus>(client, `/runs/${childRunId}/status`);
  if (links === 1 && child?.run.parentRunId === parentRunId && child.relation === relation) return 'applied';
  return links === 0 && child === undefined ? 'absent' : 'torn';
}

/** A run a cancel ended before the complete came is not completed: that complete was refused, not lost. */
async function completeEffect(client: RuntreeClient, runId: string): Promise<Effect> {
  const status = (await read<ChildStatus>(client, `/runs/${runId}/status`))?.run.status;
  return status === 'completed' ? 'applied' : status === 'failed' ? 'torn' : 'absent';
}

/**
 * A cancel is all or nothing for the whole subtree (start-up recovery finishes one a crash
 * interrupted): applied, the target is cancelled and nothing below it runs; absent, nothing in it is
 * cancelled. Runs a racing complete ended before the cancel stay completed either way.
 */
async function cancelEffect(client: RuntreeClient, runId: string): Promise<Effect> {
  const collected = await read<CollectResult>(client, `/runs/${runId}?includeDescendants=true&includeJournal=false&includeSteps=false`);
  if (collected === undefined) return 'absent';
  const statuses = [collected.run, ...(collected.descendants ?? []).map((child) => child.run)].map((run) => run.status);
  if (collected.run.status === 'cancelled' && !statuses.includes('running')) return 'applied';
  return statuses.includes('cancelled') ? 'torn' : 'absent';
}

export function effectOf(client: RuntreeClient, command: Command): Promise<Effect> {
  switch (command.kind) {
    case 'spawn':
      return spawnEffect(client, command.parentRunId, command.childRunId, 'spawned');
    case 'delegate':
      return spawnEffect(client, command.parentRunId, command.childRunId, 'delegated');
    case 'complete':
      return completeEffect(client, command.runId);
    case 'cancel':
      return cancelEffect(client, command.runId);
  }
}
