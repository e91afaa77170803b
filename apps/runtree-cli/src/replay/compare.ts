import type { RunView } from '@runtree/journal-audit';
import { canonicalJson, type JsonValue } from '@runtree/orchestration';

/** One field on which the journal's replay and the live read models disagree. */
export interface Difference {
  readonly runId: string;
  readonly field: string;
  readonly journal: JsonValue | undefined;
  readonly live: JsonValue | undefined;
}

const asJson = (value: unknown): JsonValue | undefined => (value === undefined ? undefined : (value as JsonValue));
/** Equal as JSON whatever the key order; a field that is absent on one side only differs. */
function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

function fieldsOf(view: RunView, compareLink: boolean): Map<string, JsonValue | undefined> {
  const fields = new Map<string, JsonValue | undefined>();
  for (const [key, value] of Object.entries(view.run)) fields.set(`run.${key}`, asJson(value));
  if (compareLink) fields.set('link', asJson(view.link));
  fields.set('children', asJson(view.children));
  fields.set('stepCount', view.stepCount);
  fields.set('activeStepCount', view.activeStepCount);
  fields.set('childCount', view.childCount);
  fields.set('activeChildCount', view.activeChildCount);
  return fields;
}

/**
 * Field by field, a replayed run against the live one. `compareLink` is off for the exported run
 * of a subtree: the link lives in its parent's stream, which the journal does not hold.
 */
export function compareView(replayed: RunView, live: RunView | undefined, compareLink: boolean): Difference[] {
  const runId = replayed.run.runId;
  if (live === undefined) return [{ runId, field: 'run', journal: replayed.run.status, live: undefined }];
  const journalFields = fieldsOf(replayed, compareLink);
  const liveFields = fieldsOf(live, compareLink);
  const differences: Difference[] = [];
  for (const field of new Set([...journalFields.keys(), ...liveFields.keys()])) {
    const journal = journalFields.get(field);
    const current = liveFields.get(field);
    if (!same(journal, current)) differences.push({ runId, field, journal, live: current });
  }
  return differences;
}

export function formatDifference({ runId, field, journal, live }: Difference): string {
  const show = (value: JsonValue | undefined): string => (value === undefined ? '(absent)' : JSON.stringify(value));
  return `${runId} ${field}: journal ${show(journal)}, live ${show(live)}`;
}
