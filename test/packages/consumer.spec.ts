import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from '../support/build-once.js';
import { repoBin, runTool, succeeded } from './tools.js';

/**
 * A NestJS app outside the repository, as a user would write it: it installs the packed tarballs
 * (never the sources), type-checks (misuses under @ts-expect-error included, and the README's
 * example), builds with `nest build`, runs on the embedded store and uses the installed `runtree`.
 *
 * For speed it reuses what the repository has: third-party packages come from the npm cache
 * (`--prefer-offline`), installed without scripts, and better-sqlite3's compiled binding is
 * copied from the repository (same version, same Node) instead of compiled again; tsc and nest
 * are the repository's.
 */
const PACKAGE_FOLDERS = ['libs/event-store', 'libs/read-store', 'libs/orchestration', 'libs/journal-audit', 'apps/runtree-cli'];
const FIXTURE = join(repo, 'test/packages/consumer-app');
const SETUP_TIMEOUT_MS = 600_000;
const STEP_TIMEOUT_MS = 300_000;

interface PackedFile {
  readonly path: string;
}
interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly size: number;
  readonly files: readonly PackedFile[];
}

/** The README's library example: the first TypeScript block of its "Use it from a NestJS app" section. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from a NestJS app'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error('README.md has no ```ts block under "Use it from a NestJS app"');
  return block[1];
}

async function repoVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

describe('a NestJS app outside the repository, on the packed packages', () => {
  let work: string;
  let app: string;
  let packed: Packed[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'runtree-consumer-'));
    app = join(work, 'app');
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);
    const pack = succeeded(await runTool('npm', ['pack', ...PACKAGE_FOLDERS.map((folder) => `./${folder}`), '--pack-destination', tarballs, '--json'], repo), 'npm pack');
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Packed[];

    await mkdir(join(app, 'src'), { recursive: true });
    await cp(FIXTURE, join(app, 'src'), { recursive: true });
    await writeFile(join(app, 'src/readme-example.ts'), await readmeExample());
    const dependencies: Record<string, string> = Object.fromEntries(packed.map((entry) => [entry.name, `file:${join(tarballs, entry.filename)}`]));
    for (const name of ['@nestjs/common', '@nestjs/core', '@nestjs/cqrs', 'reflect-metadata', 'rxjs', '@opentelemetry/api']) dependencies[name] = `^${await repoVersion(name)}`;
    const manifest = { name: 'runtree-consumer', private: true, type: 'module', dependencies, devDependencies: { '@types/node': `^${await repoVersion('@types/node')}` } };
    await writeFile(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    };
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
    await writeFile(join(app, 'nest-cli.json'), JSON.stringify({ sourceRoot: 'src', entryFile: 'main', compilerOptions: { builder: 'tsc', deleteOutDir: true } }, null, 2));

    succeeded(await runTool('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], app), 'npm install');
    const binding = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    await mkdir(join(app, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
    await copyFile(join(repo, binding), join(app, binding));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('installs packages of JavaScript with declarations, without tests or bench', () => {
    expect(packed.map((entry) => entry.name).sort()).toEqual(['@runtree/cli', '@runtree/event-store', '@runtree/journal-audit', '@runtree/orchestration', '@runtree/read-store']);
    for (const entry of packed) {
      const paths = entry.files.map((file) => file.path);
      expect(paths.filter((path) => /\.spec\.|\.ts$(?<!\.d\.ts)|(^|\/)(bench|test)\//.test(path))).toEqual([]);
      expect(paths).toContain('package.json');
      if (entry.name !== '@runtree/cli') expect(paths.some((path) => path.endsWith('index.d.ts'))).toBe(true);
    }
  });

  it('type-checks with tsc, the misuses refused and the README example accepted', async () => {
    const result = await runTool(process.execPath, [repoBin('tsc'), '-p', 'tsconfig.json', '--noEmit'], app);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  }, STEP_TIMEOUT_MS);

  it('builds with nest build and drives start, spawn, delegate, await, collect and cancel', async () => {
    succeeded(await runTool(process.execPath, [repoBin('nest'), 'build'], app), 'nest build');
    const result = succeeded(await runTool(process.execPath, ['dist/main.js', join(work, 'runtree.db')], app), 'the built app');
    const seen = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(seen).toMatchObject({
      spawnedKind: 'search',
      delegatedHasSession: true,
      awaited: { status: 'completed', output: { summary: 'done' } },
      collectedChildren: ['spawned', 'delegated'],
      rootAfterCancel: 'cancelled',
      misspelt: 'unsupported_option',
    });
    expect(seen.cancelled).toEqual(seen.expectedCancelled);
  }, STEP_TIMEOUT_MS);

  it('installs the CLI as runtree, which reads the app\'s store', async () => {
    const runtree = join(app, 'node_modules/.bin/runtree');
    const version = JSON.parse(await readFile(join(repo, 'apps/runtree-cli/package.json'), 'utf8')) as { version: string };
    expect(succeeded(await runTool(runtree, ['--version'], app), 'runtree --version').stdout).toBe(`${version.version}\n`);
    const listed = succeeded(await runTool(runtree, ['runs', 'list', '--json', '--sqlite', join(work, 'runtree.db')], app), 'runtree runs list');
    expect(listed.stdout).toMatch(/"kind": "research"/);
  }, STEP_TIMEOUT_MS);
});
