import { describe, expect, it } from '@jest/globals';
import { FuzzTally } from './support/fuzz-tally.js';
import { expectRefused, fuzzAppForFile } from './support/http-fuzz.js';
import { hostileRequests, unknownIdRequests } from './support/http-requests.js';
import { apiRoutes, paramsOf, routeName } from './support/http-routes.js';

// Every route of the API, fuzzed: each hostile request is a 4xx in the error envelope, naming the
// field that is wrong, with nothing appended to the journal, and the service keeps answering.

const HOSTILE_CASES_PER_ROUTE = 100;
const UNKNOWN_ID_CASES_PER_ROUTE = 10;
const tally = new FuzzTally('http', 'routes');
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
const fuzzApp = fuzzAppForFile(tally);

async function expectStillAnswering(): Promise<void> {
  expect((await fuzzApp().http.get(`/runs/${fuzzApp().fixture.runId}/status`)).status).toBe(200);
}

describe.each(apiRoutes.map((route) => [routeName(route), route] as const))('%s', (name, route) => {
  it('refuses every hostile request with a 4xx naming the field, appending nothing', async () => {
    await tally.check(name, hostileRequests(route, fuzzApp().fixture), (hostile) => expectRefused(fuzzApp(), hostile.request, hostile.refusal), HOSTILE_CASES_PER_ROUTE);
    await expectStillAnswering();
  }, 120_000);
});

describe.each(apiRoutes.filter((route) => paramsOf(route).length > 0).map((route) => [routeName(route), route] as const))('%s', (name, route) => {
  it('answers a valid request for an id nothing has with a 404, appending nothing', async () => {
    const requests = unknownIdRequests(route, fuzzApp().fixture);
    if (requests === undefined) throw new Error(`${name} has no path parameter`);
    await tally.check(name, requests, (hostile) => expectRefused(fuzzApp(), hostile.request, hostile.refusal), UNKNOWN_ID_CASES_PER_ROUTE);
  }, 60_000);
});

describe('after every route was fuzzed', () => {
  it('left Object.prototype as it was: no __proto__ or constructor key reached it', () => {
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
    expect(Object.entries(Object.prototype)).toEqual([]);
  });

  it('answers a URL over Node\'s 16 KiB header limit with a 431 error envelope naming the headers, appending nothing', async () => {
    // Node's HTTP parser refuses it before Express; the service's clientError handler answers.
    const before = await fuzzApp().head();
    const response = await fuzzApp().send({ method: 'GET', url: `/runs/${'r'.repeat(20_000)}/status` });
    expect(response.status).toBe(431);
    expect(response.body).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining('headers'), details: expect.objectContaining({ field: 'headers', reason: expect.stringContaining('16384 bytes') }) },
    });
    expect(await fuzzApp().head()).toBe(before);
    await expectStillAnswering();
  });
});
