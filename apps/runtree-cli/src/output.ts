import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UsageError } from './cli-error.js';

/** Writes the lines to the stream, waiting when its buffer is full (a journal can be large). */
export async function writeLines(lines: Iterable<string>, target: Writable, onLine: () => void = () => undefined): Promise<void> {
  for (const line of lines) {
    if (!target.write(`${line}\n`)) await once(target, 'drain');
    onLine();
  }
}

/** A file to write, or stdout; `finish` flushes and closes the file (stdout stays open). */
export async function openOutput(path: string | undefined): Promise<{ stream: Writable; finish(): Promise<void> }> {
  if (path === undefined) return { stream: process.stdout, finish: async () => undefined };
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    stream,
    finish: async () => {
      stream.end();
      await once(stream, 'finish');
    },
  };
}
