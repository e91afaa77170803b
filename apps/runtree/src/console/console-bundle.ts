import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:console` writes the bundle: `dist/console` of the package this file is in. */
export function consoleBundleDir(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return join(dir, 'dist', 'console');
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * A file of the bundle, by its bare name (no directories, so nothing outside the bundle can be
 * named); `undefined` when there is none, or when its kind is not one the console ships.
 */
export async function consoleFile(dir: string, name: string): Promise<ConsoleFile | undefined> {
  const contentType = contentTypes[extname(name)];
  if (contentType === undefined || !/^[\w-]+(\.[\w-]+)*$/.test(name)) return undefined;
  try {
    return { body: await readFile(join(dir, name)), contentType };
  } catch {
    return undefined;
  }
}
