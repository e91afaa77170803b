// Bundles the console (apps/console/src) into dist/console: index.html and content-hashed assets.
// Run by `npm run build:console` (part of build, start and prepare); needs only esbuild and preact.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'dist', 'console');

const page = (script, style) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Runtree console</title>
<link rel="stylesheet" href="/ui/${style}">
<script type="module" src="/ui/${script}"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

const started = performance.now();
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
const result = await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  tsconfig: join(here, 'tsconfig.json'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  entryNames: '[name]-[hash]',
  outdir: outDir,
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith('.map'));
const named = (extension) => basename(outputs.find(([file]) => file.endsWith(extension))[0]);
await writeFile(join(outDir, 'index.html'), page(named('.js'), named('.css')));
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const sizes = await Promise.all(outputs.map(async ([file, { bytes }]) => `${basename(file)} ${kib(bytes)} (${kib(gzipSync(await readFile(file)).length)} gzipped)`));
console.log(`console built into ${outDir} in ${Math.round(performance.now() - started)} ms: ${sizes.join(', ')}`);
