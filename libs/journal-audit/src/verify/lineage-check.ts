import { parseStreamName, type Lineage, type Relation } from '@runtree/orchestration';
import type { JournalEvent } from '../journal-file.js';
import type { DecodedEvent } from './codec-check.js';
import { eventName, problemAt, type Problem } from './problem.js';

interface LinkSeen {
  readonly event: JournalEvent;
  readonly parentRunId: string;
  readonly relation: Relation;
  readonly sequence: number;
}

interface StartSeen {
  readonly event: JournalEvent;
  readonly lineage: Lineage | undefined;
}

/** Since when a run accepts no more children: its cancel was requested, or it became terminal. */
interface Frozen {
  readonly cancelRequested?: JournalEvent;
  readonly terminal?: JournalEvent;
}

function describeFrozen({ terminal, cancelRequested }: Frozen): string | undefined {
  if (terminal !== undefined) return `after the run became terminal at ${eventName(terminal)}`;
  if (cancelRequested !== undefined) return `after the run's cancel was requested at ${eventName(cancelRequested)}`;
  return undefined;
}

const describeLink = (relation: Relation, parentRunId: string, sequence: number): string => `${relation} child #${sequence} of ${parentRunId}`;

/**
 * Lineage read both ways: every child's parent is in the journal (except the exported run's own
 * parent), the parent's link and the child's RunStarted agree on relation and sequence, and no
 * run links a child once it is terminal or its cancel was requested.
 */
export function checkLineage(decoded: readonly DecodedEvent[], exportedRunId: string | undefined): Problem[] {
  const problems: Problem[] = [];
  const starts = new Map<string, StartSeen>();
  const links = new Map<string, LinkSeen[]>();
  const frozen = new Map<string, Frozen>();
  for (const { event, domainEvent } of decoded) {
    const stream = parseStreamName(event.line.stream);
    if (stream?.kind !== 'run') continue;
    const runId = stream.id;
    switch (domainEvent.type) {
      case 'RunStarted':
        if (domainEvent.data.runId !== runId) problems.push(problemAt(event, `RunStarted names run ${domainEvent.data.runId}, not the stream's run ${runId}`));
        starts.set(runId, { event, lineage: domainEvent.data.lineage });
        break;
      case 'ChildSpawned':
      case 'ChildDelegated': {
        const relation = domainEvent.type === 'ChildSpawned' ? 'spawned' : 'delegated';
        const { childRunId, sequence } = domainEvent.data;
        const since = describeFrozen(frozen.get(runId) ?? {});
        if (since !== undefined) problems.push(problemAt(event, `links child ${childRunId} ${since}`));
        links.set(childRunId, [...(links.get(childRunId) ?? []), { event, parentRunId: runId, relation, sequence }]);
        break;
      }
      case 'CancelRequested':
        frozen.set(runId, { cancelRequested: event, ...frozen.get(runId) });
        break;
      case 'RunCompleted':
      case 'RunFailed':
      case 'RunCancelled':
        frozen.set(runId, { terminal: event, ...frozen.get(runId) });
        break;
    }
  }
  for (const [runId, { event, lineage }] of starts) {
    if (lineage === undefined) continue;
    const { parentRunId, relation, sequence } = lineage;
    if (!starts.has(parentRunId)) {
      if (runId !== exportedRunId) problems.push(problemAt(event, `its parent run ${parentRunId} is not in the journal`));
      continue;
    }
    const parentLinks = (links.get(runId) ?? []).filter((link) => link.parentRunId === parentRunId);
    if (parentLinks.length === 0) {
      problems.push(problemAt(event, `says it is the ${describeLink(relation, parentRunId, sequence)}, but run-${parentRunId} has no link to it`));
      continue;
    }
    for (const link of parentLinks) {
      if (link.relation !== relation || link.sequence !== sequence) {
        problems.push(
          problemAt(event, `says it is the ${describeLink(relation, parentRunId, sequence)}, but ${eventName(link.event)} links it as ${describeLink(link.relation, parentRunId, link.sequence)}`),
        );
      }
    }
  }
  for (const [childRunId, childLinks] of links) {
    const child = starts.get(childRunId);
    if (child === undefined) continue; // not started (a spawn a crash interrupted) or outside the export
    for (const link of childLinks) {
      if (child.lineage?.parentRunId !== link.parentRunId) {
        const says = child.lineage === undefined ? 'has no parent' : `names parent ${child.lineage.parentRunId}`;
        problems.push(problemAt(link.event, `links child ${childRunId}, but ${eventName(child.event)} ${says}`));
      }
    }
  }
  return problems;
}
