import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version of the package this file was installed with: the nearest package.json above it
 * (the `@runtree/cli` package when installed, the repository's when run from a clone's build).
 */
export function cliVersion(from: string = import.meta.dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
      return typeof version === 'string' ? version : 'unknown';
    }
    if (dirname(folder) === folder) return 'unknown';
  }
}
