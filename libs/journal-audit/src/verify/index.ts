import { parseStreamName, type SchemaRegistry } from '@runtree/orchestration';
import type { Journal } from '../journal-file.js';
import { checkChains } from './chain-check.js';
import { checkCodecs } from './codec-check.js';
import { checkEnd } from './end-check.js';
import { checkLineage } from './lineage-check.js';
import type { Problem } from './problem.js';
import { checkRevisions } from './revision-check.js';

export { formatProblem, type Problem } from './problem.js';

/** Everything an auditor checks in a journal, without the store; problems in file order. */
export function verifyJournal(journal: Journal, registry: SchemaRegistry): Problem[] {
  const malformed = journal.malformed.map(({ lineNumber, reason }): Problem => ({ where: `line ${lineNumber}`, message: reason, lineNumber }));
  const codecs = checkCodecs(journal.events, registry);
  const problems = [
    ...malformed,
    ...codecs.problems,
    ...checkChains(journal.events),
    ...checkRevisions(journal.events),
    ...checkLineage(codecs.decoded, journal.end?.runId ?? exportedRunOf(journal)),
    ...checkEnd(journal),
  ];
  // A stable sort keeps the check order within a line.
  return problems.sort((a, b) => a.lineNumber - b.lineNumber);
}

/** Without an end record, the run of the first event is taken as the exported one. */
function exportedRunOf(journal: Journal): string | undefined {
  const first = journal.events[0];
  const stream = first === undefined ? undefined : parseStreamName(first.line.stream);
  return stream?.kind === 'run' ? stream.id : undefined;
}
