// The service's real output, as an operator's log shipper reads it: the built service started as
// `node main.js` with its stdout a pipe (not a terminal), every line read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildService, killProcess, SERVICE_MAIN, serviceEnv, startServiceWith, type RunningService } from './service-process.js';

const BUILD_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 60_000;
const API_TOKEN = 'LogTestApiToken-0123456789';
const ANSI_ESCAPE = '\u001b[';

/** Waits until `predicate` holds for some line, then gives that line. */
async function lineWhere<T>(lines: readonly string[], find: (line: string) => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of lines) {
      const found = find(line);
      if (found !== undefined) return found;
    }
    if (Date.now() > deadline) throw new Error(`no such line within ${timeoutMs} ms in:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type LogLine = Record<string, unknown>;
const parsed = (line: string): LogLine => JSON.parse(line) as LogLine;

let directory: string;
const services: RunningService[] = [];

beforeAll(async () => {
  await buildService();
  directory = await mkdtemp(join(tmpdir(), 'runtree-logs-'));
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(services.map((service) => killProcess(service.child)));
  await rm(directory, { recursive: true, force: true });
});

describe('the service logs, with stdout not a terminal', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startServiceWith(join(directory, 'json'), { RUNTREE_API_TOKEN: API_TOKEN });
    services.push(service);
  }, START_TIMEOUT_MS);

  it('are JSON lines by default, with an ISO time and the level by name, and no colour codes', async () => {
    await lineWhere(service.stdout, (line) => (line.includes('Runtree listening') ? line : undefined));
    expect(service.stdout.length).toBeGreaterThan(3);
    for (const line of service.stdout) {
      expect(line).not.toContain(ANSI_ESCAPE);
      const entry = parsed(line);
      expect(entry).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/), msg: expect.any(String) });
      expect(new Date(entry['time'] as string).toISOString()).toBe(entry['time']);
    }
    expect(service.stderr.join('\n')).not.toContain(ANSI_ESCAPE);
  });

  it('write one access line per HTTP request: method, route, status, duration, request id and command id', async () => {
    const auth = { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' };
    const started = await fetch(`${service.baseUrl}/runs`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'log-test-command-1' }, body: '{}' });
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    const status = await fetch(`${service.baseUrl}/runs/${runId}/status`, { headers: { ...auth, 'X-Request-Id': 'caller-request-7' } });
    expect(status.headers.get('x-request-id')).toBe('caller-request-7');
    const refused = await fetch(`${service.baseUrl}/runs/${runId}/status`);
    expect(refused.status).toBe(401);

    const accessLines = () => service.stdout.map(parsed).filter((entry) => entry['route'] !== undefined);
    await lineWhere(service.stdout, (line) => (accessLines().length >= 3 ? line : undefined));
    const [start, read, unauthorized] = accessLines().slice(-3);
    expect(start).toMatchObject({ level: 'info', msg: 'request completed', method: 'POST', route: '/runs', path: '/runs', status: 201, commandId: 'log-test-command-1' });
    expect(start!['requestId']).toBe(started.headers.get('x-request-id'));
    expect(read).toMatchObject({ method: 'GET', route: '/runs/:runId/status', path: `/runs/${runId}/status`, status: 200, requestId: 'caller-request-7' });
    expect(unauthorized).toMatchObject({ method: 'GET', status: 401 });
    for (const line of [start, read, unauthorized]) expect(line!['durationMs']).toEqual(expect.any(Number));
    // Headers are not logged: the bearer token is nowhere.
    expect(service.stdout.join('\n')).not.toContain(API_TOKEN);
  });

  it('redact the secrets of the configuration from every line, here a token a client put in a path', async () => {
    const misplaced = await fetch(`${service.baseUrl}/runs/${API_TOKEN}/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    expect(misplaced.status).toBe(404);
    const access = await lineWhere(service.stdout, (line) => (line.includes('"path":"/runs/***/status"') ? parsed(line) : undefined));
    expect(access).toMatchObject({ route: '/runs/:runId/status', status: 404 });
    expect([...service.stdout, ...service.stderr].join('\n')).not.toContain(API_TOKEN);
  });
});

describe('the service logs as configured', () => {
  it('are pretty text with RUNTREE_LOG_FORMAT=pretty, without colour codes when not on a terminal, and only from RUNTREE_LOG_LEVEL up', async () => {
    const service = await startServiceWith(join(directory, 'pretty'), { RUNTREE_LOG_FORMAT: 'pretty', RUNTREE_LOG_LEVEL: 'info' });
    services.push(service);
    await fetch(`${service.baseUrl}/health`);
    const access = await lineWhere(service.stdout, (line) => (line.includes('request completed') ? line : undefined));
    expect(access).toMatch(/INFO.*request completed/);
    expect(service.stdout.some((line) => line.trimStart().startsWith('{'))).toBe(false);
    expect(service.stdout.join('\n')).not.toContain(ANSI_ESCAPE);

    const quiet = await startServiceWith(join(directory, 'quiet'), { RUNTREE_LOG_LEVEL: 'warn' });
    services.push(quiet);
    await fetch(`${quiet.baseUrl}/health`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The listening line is info: under warn, the process says nothing while all is well.
    expect(quiet.stdout.filter((line) => line.includes('request completed'))).toEqual([]);
  }, 2 * START_TIMEOUT_MS);

  it('refuse an unknown level or format, naming the variable', async () => {
    const child = spawn(process.execPath, [SERVICE_MAIN], { env: { ...serviceEnv(join(directory, 'bad.db')), RUNTREE_LOG_FORMAT: 'xml' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.join('\n')).toMatch(/RUNTREE_LOG_FORMAT/);
  });
});
