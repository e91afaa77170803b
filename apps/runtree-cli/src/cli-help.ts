import type { Command } from './command.js';

const footer = [
  'The store is the one the service is configured for (RUNTREE_STORE, RUNTREE_SQLITE_PATH,',
  'EVENTSTORE_CONNECTION_STRING), or the SQLite file given with --sqlite.',
  'Exit status: 0 ok, 1 verification failed or differences found, 2 usage or input error.',
];

/** Each command's usage, then what it does indented below it: usages differ too much in length for one column. */
function listing(commands: readonly Command[]): string[] {
  return commands.flatMap((command) => [`  ${command.usage}`, `      ${command.summary}`]);
}

/** `runtree --help`: every command. */
export function overallHelp(commands: readonly Command[]): string {
  return ['usage:', ...listing(commands), '', 'runtree --version prints the version; runtree <command> --help one command.', '', ...footer].join('\n');
}

/** `runtree journal --help`: the commands under a first word, or undefined when no command starts with it. */
export function groupHelp(commands: readonly Command[], group: string): string | undefined {
  const members = commands.filter((command) => command.name.startsWith(`${group} `));
  return members.length === 0 ? undefined : ['usage:', ...listing(members), '', ...footer].join('\n');
}

/** `runtree tree --help`: one command. */
export function commandHelp(command: Command): string {
  return [`usage: ${command.usage}`, `  ${command.summary}`].join('\n');
}
