import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startHttpApp, startRun, type HttpApp } from './http-app.js';

let h: HttpApp;
beforeAll(async () => {
  h = await startHttpApp();
});
afterAll(async () => {
  await h.close();
});

it('serves /health beside the API', async () => {
  const response = await h.http.get('/health').expect(200);
  expect(response.body).toMatchObject({ status: 'ok' });
});

it('counts the operations HTTP requests drive in /metrics', async () => {
  await startRun(h);
  await h.http.get('/runs/nope/status').expect(404);
  const metrics = (await h.http.get('/metrics').expect(200)).text;
  expect(metrics).toContain('runtree_operations_total{operation="startRun",outcome="ok"} 1');
  expect(metrics).toContain('runtree_operations_total{operation="status",outcome="not_found"} 1');
});
