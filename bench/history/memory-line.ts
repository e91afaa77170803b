/** What the memory probe answers to, and how its line starts. */
export const MEMORY_SIGNAL = 'SIGWINCH';
export const MEMORY_LINE_PREFIX = 'runtree-bench-memory ';

/** The memory reported on a probe line, or undefined for any other line. */
export function parseMemoryLine(line: string): NodeJS.MemoryUsage | undefined {
  return line.startsWith(MEMORY_LINE_PREFIX) ? (JSON.parse(line.slice(MEMORY_LINE_PREFIX.length)) as NodeJS.MemoryUsage) : undefined;
}
