import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed version of a package: the nearest package.json above its resolved entry point that
 * names it (packages such as bullmq keep a nameless package.json inside dist/ as well).
 */
export function packageVersion(name: string): string {
  let directory = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    const manifestPath = join(directory, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    }
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}
