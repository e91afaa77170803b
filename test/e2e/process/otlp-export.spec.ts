// Tracing switched on from the environment, as an operator does: the built service loads the
// OpenTelemetry SDK and exports its spans over OTLP (HTTP, JSON) to a collector, here a stand-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService, killProcess, startServiceWith, type RunningService } from './service-process.js';

const BUILD_TIMEOUT_MS = 180_000;

/** A collector that keeps every OTLP trace export it is sent. */
function startCollector(): Promise<{ server: Server; url: string; exports: string[] }> {
  const exports: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url === '/v1/traces') exports.push(body);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports })));
}

describe('OTLP export from the running service', () => {
  let directory: string;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let service: RunningService | undefined;

  beforeAll(async () => {
    await buildService();
    directory = await mkdtemp(join(tmpdir(), 'runtree-otlp-'));
    collector = await startCollector();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    if (service !== undefined) await killProcess(service.child);
    collector?.server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('sends the spans of a request to OTEL_EXPORTER_OTLP_ENDPOINT, as the standard OTEL_* variables say', async () => {
    service = await startServiceWith(directory, {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'runtree-under-test',
    });
    const response = await fetch(`${service.baseUrl}/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(201);

    const deadline = Date.now() + 15_000;
    const names = () => collector.exports.flatMap((body) => [...body.matchAll(/"name":"([^"]+)"/g)].map((match) => match[1]));
    while (!names().includes('POST /runs') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(names()).toEqual(expect.arrayContaining(['POST /runs', 'orchestrator.startRun', 'store.append']));
    expect(collector.exports.join('\n')).toContain('runtree-under-test');
  });
});
