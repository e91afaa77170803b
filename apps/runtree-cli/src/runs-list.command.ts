import * as E from 'fp-ts/lib/Either.js';
import { OrchestratorError, parseListRunsOptions, type DomainError } from '@runtree/orchestration';
import { exitCodes, UsageError } from './cli-error.js';
import { flag, storeOption, stringOption, type Command, type OptionValues } from './command.js';
import { withLiveStore } from '@runtree/journal-audit';
import { chooseStore, configuredLimits } from './live-store.js';
import { runPageLines } from './run-page-lines.js';

/** Each flag taking text as it is, and the listRuns option it sets. */
const textFlags = {
  status: 'status',
  kind: 'kind',
  'parent-run-id': 'parentRunId',
  'root-run-id': 'rootRunId',
  'session-id': 'sessionId',
  'thread-id': 'threadId',
  'created-after': 'createdAfter',
  'created-before': 'createdBefore',
  cursor: 'cursor',
} as const;

/** The flag an option comes from, so an error names what the user typed. */
function flagOf(option: string): string {
  const textFlag = Object.entries(textFlags).find(([, name]) => name === option)?.[0];
  return `--${textFlag ?? option}`;
}

/** Options spelt otherwise than their flags (`createdAfter`), as a reason may mention them; `status` or `cursor` are also plain words. */
const camelCaseOptions = new RegExp(`\\b(${Object.entries(textFlags).filter(([name, option]) => name !== option).map(([, option]) => option).join('|')})\\b`, 'g');

/** A refused option is an input error: one line naming the flag and why, exit status 2. */
function flagError(error: Pick<DomainError, 'message' | 'details'>): UsageError {
  const { field, reason } = error.details;
  if (typeof field !== 'string' || typeof reason !== 'string') return new UsageError(error.message);
  return new UsageError(`${flagOf(field)} ${reason.replace(camelCaseOptions, flagOf)}`);
}

/** The flags as listRuns options: text as given, `--limit` as a number, `--include` split at commas. */
function listOptions(values: OptionValues): { [option: string]: unknown } {
  const options: { [option: string]: unknown } = {};
  for (const [name, option] of Object.entries(textFlags)) {
    const value = stringOption(values, name);
    if (value !== undefined) options[option] = value;
  }
  const limit = stringOption(values, 'limit');
  if (limit !== undefined) {
    if (!/^\d{1,9}$/.test(limit)) throw new UsageError('--limit must be a positive integer');
    options.limit = Number(limit);
  }
  const include = stringOption(values, 'include');
  if (include !== undefined) options.include = include === '' ? [] : include.split(',');
  return options;
}

export const runsListCommand: Command = {
  name: 'runs list',
  usage: 'runtree runs list [FILTERS] [--limit N] [--cursor C] [--include LIST] [--json] [--sqlite PATH]',
  summary:
    'list runs newest first, a page at a time; FILTERS (all must match): --status --kind --parent-run-id --root-run-id --session-id --thread-id --created-after --created-before (ISO-8601, exclusive); --include metadata,input,output adds payloads',
  options: {
    ...Object.fromEntries(Object.keys(textFlags).map((name) => [name, { type: 'string' } as const])),
    limit: { type: 'string' },
    include: { type: 'string' },
    json: { type: 'boolean' },
    ...storeOption,
  },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const options = listOptions(values);
    const sqlitePath = stringOption(values, 'sqlite');
    // Checked before the store is opened: a mistyped filter is reported at once, store or no store.
    const parsed = parseListRunsOptions(options, configuredLimits(sqlitePath));
    if (E.isLeft(parsed)) throw flagError(parsed.left);
    const store = chooseStore(sqlitePath);
    const page = await withLiveStore(store, async ({ orchestrator }) => {
      try {
        return await orchestrator.listRuns(options);
      } catch (error) {
        throw error instanceof OrchestratorError && (error.code === 'invalid_option' || error.code === 'unsupported_option') ? flagError(error) : error;
      }
    });
    if (flag(values, 'json')) console.log(JSON.stringify(page, null, 2));
    else for (const line of runPageLines(page)) console.log(line);
    return exitCodes.ok;
  },
};
