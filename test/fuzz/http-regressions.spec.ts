import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { expectRefused, startFuzzApp, type FuzzApp } from './support/http-fuzz.js';

// The counterexamples the HTTP fuzz found, shrunk, each kept as a plain example beside its fix
// (apps/runtree/src/http/error-envelope.filter.ts, libs/orchestration/src/validation/report.ts,
// apps/runtree/src/http/admin.controller.ts).

let app: FuzzApp;
beforeAll(async () => {
  app = await startFuzzApp();
});
afterAll(async () => {
  await app?.close();
});

describe('bodies the JSON parser cannot read (were 500 internal_error)', () => {
  it('refuses a charset other than UTF-8 with 415 naming the body', async () => {
    const request = { method: 'POST', url: '/runs', headers: { 'Content-Type': 'application/json; charset=latin1' }, body: '{}' } as const;
    await expectRefused(app, request, { statuses: [415], codes: ['invalid_option'], fields: ['body'] });
  });

  it('refuses an unsupported Content-Encoding with 415 naming the body', async () => {
    const request = { method: 'POST', url: '/runs', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, body: '{}' } as const;
    await expectRefused(app, request, { statuses: [415], codes: ['invalid_option'], fields: ['body'] });
  });

  it('refuses a gzip body that is not gzip with 400 naming the body', async () => {
    const request = { method: 'POST', url: '/sessions', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: '{"kind":"x"}' } as const;
    await expectRefused(app, request, { statuses: [400], codes: ['invalid_option'], fields: ['body'] });
  });
});

describe('a path parameter whose %-escapes are not UTF-8 (was 500 internal_error)', () => {
  it.each([
    ['/runs/%ED%A0%80/status', 'runId'],
    ['/runs/fuzz-run/steps/%E0%A4%A/complete', 'stepId'],
    ['/sessions/%FF/close', 'sessionId'],
    ['/threads/%C0%AF/close', 'threadId'],
  ])('%s is 400 invalid_option naming %s', async (url, field) => {
    const method = url.includes('/status') ? 'GET' : 'POST';
    await expectRefused(app, { method, url }, { statuses: [400], codes: ['invalid_option'], fields: [field] });
  });
});

describe('an unknown key that is empty (was reported as the field "options")', () => {
  it('names the key as [""]', async () => {
    const request = { method: 'POST', url: '/runs/fuzz-run/cancel', headers: { 'Content-Type': 'application/json' }, body: '{"":{}}' } as const;
    await expectRefused(app, request, { statuses: [400], codes: ['unsupported_option'], fields: ['[""]'] });
  });
});

describe('an admin route given options it does not take (was 200: the read models were cleared)', () => {
  it.each([
    ['/admin/clear', '{"dryRun":true}', 'dryRun'],
    ['/admin/rebuild?from=0', '{}', 'from'],
  ])('POST %s %s is refused naming %s, or refused whole when admin routes are off', async (url, body, field) => {
    const request = { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body } as const;
    await expectRefused(app, request, { fields: [field], fieldStatuses: [400] });
  });
});
