import type { ChildStatus, CollectResult, Relation } from '@runtree/orchestration';
import type { Reply, RuntreeClient } from '../process/runtree-client.js';

/**
 * A command a client sends to any instance; its key is its Idempotency-Key, fixed so that a retry
 * on another instance is recognised as the same command.
 */
export type FleetCommand =
  | { readonly kind: 'start'; readonly key: string; readonly runId: string }
  | { readonly kind: 'spawn' | 'delegate'; readonly key: string; readonly parentRunId: string; readonly childRunId: string }
  | { readonly kind: 'startStep' | 'completeStep'; readonly key: string; readonly runId: string; readonly stepId: string }
  | { readonly kind: 'complete' | 'cancel'; readonly key: string; readonly runId: string };

export function sendFleetCommand(client: RuntreeClient, command: FleetCommand): Promise<Reply> {
  switch (command.kind) {
    case 'start':
      return client.post('/runs', { runId: command.runId, kind: 'root' }, command.key);
    case 'spawn':
      return client.post(`/runs/${command.parentRunId}/children`, { runId: command.childRunId, kind: 'worker' }, command.key);
    case 'delegate':
      return client.post(`/runs/${command.parentRunId}/delegations`, { runId: command.childRunId, task: { by: command.key } }, command.key);
    case 'startStep':
      return client.post(`/runs/${command.runId}/steps`, { stepId: command.stepId, name: 'work' }, command.key);
    case 'completeStep':
      return client.post(`/runs/${command.runId}/steps/${command.stepId}/complete`, { output: { by: command.key } }, command.key);
    case 'complete':
      return client.post(`/runs/${command.runId}/complete`, { output: { by: command.key } }, command.key);
    case 'cancel':
      return client.post(`/runs/${command.runId}/cancel`, { reason: { by: command.key } }, command.key);
  }
}

/** The body of a read, undefined when it did not answer 200 (a missing run reads as not there). */
async function read<T>(client: RuntreeClient, path: string): Promise<T | undefined> {
  const reply = await client.get(path);
  return reply.status === 200 ? (reply.body as T) : undefined;
}

async function linked(client: RuntreeClient, parentRunId: string, childRunId: string, relation: Relation): Promise<boolean> {
  const child = await read<ChildStatus>(client, `/runs/${childRunId}/status`);
  return child?.parentRunId === parentRunId && child.relation === relation && child.run.parentRunId === parentRunId;
}

async function stepStatus(client: RuntreeClient, runId: string, stepId: string): Promise<string | undefined> {
  const collected = await read<CollectResult>(client, `/runs/${runId}?includeSteps=true&includeJournal=false`);
  return collected?.steps?.find((step) => step.stepId === stepId)?.status;
}

/** A cancel's effect: the run is cancelled and nothing under it runs. */
async function cancelled(client: RuntreeClient, runId: string): Promise<boolean> {
  const collected = await read<CollectResult>(client, `/runs/${runId}?includeDescendants=true&includeSteps=false&includeJournal=false`);
  if (collected === undefined) return false;
  return collected.run.status === 'cancelled' && !(collected.descendants ?? []).some((child) => child.run.status === 'running');
}

/**
 * Whether one read on `client` shows what the command did, as a client of the API sees it. One read
 * (or one per view it needs), no retry: this is the read-your-writes check.
 */
export async function showsEffect(client: RuntreeClient, command: FleetCommand): Promise<boolean> {
  switch (command.kind) {
    case 'start':
      return (await read<ChildStatus>(client, `/runs/${command.runId}/status`))?.run.runId === command.runId;
    case 'spawn':
      return linked(client, command.parentRunId, command.childRunId, 'spawned');
    case 'delegate':
      return linked(client, command.parentRunId, command.childRunId, 'delegated');
    case 'startStep':
      return (await stepStatus(client, command.runId, command.stepId)) !== undefined;
    case 'completeStep':
      return (await stepStatus(client, command.runId, command.stepId)) === 'completed';
    case 'complete':
      return (await read<ChildStatus>(client, `/runs/${command.runId}/status`))?.run.status === 'completed';
    case 'cancel':
      return cancelled(client, command.runId);
  }
}
