import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DataDir {
  readonly path: string;
  /** A new, unused path inside the directory (for one run's store file). */
  freshFile(name: string): string;
  remove(): void;
}

/** A private directory for one benchmark's files, under `parent` (default the OS temp dir). */
export function createDataDir(prefix: string, parent: string = tmpdir()): DataDir {
  mkdirSync(parent, { recursive: true });
  const path = mkdtempSync(join(parent, `${prefix}-`));
  let files = 0;
  return {
    path,
    freshFile: (name) => join(path, `${String((files += 1)).padStart(3, '0')}-${name}`),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
