#!/usr/bin/env node
// `npx runtree` in a clone. Kept out of dist/ so a build, which rewrites dist/, cannot lose its execute bit.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const main = new URL('../dist/apps/runtree-cli/src/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('runtree: the CLI is not built; run `npm run build` first');
  process.exit(2);
}
await import(main.href);
