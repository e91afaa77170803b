import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { defaultValidationLimits, type Run } from '@runtree/orchestration';
import { FuzzTally } from './support/fuzz-tally.js';
import { fuzzAppForFile } from './support/http-fuzz.js';
import { hostileText, idAtLimit, jsonText, nested, trickyKeys } from './support/hostile-values.js';
import { preview } from './support/input-fields.js';

// The other side of the fuzz: hostile-looking input that is valid (ids and labels at their limits,
// lone surrogates, bidi controls and NUL in text, `__proto__` keys, JSON exactly maxJsonDepth deep)
// is taken, stored as one event, and read back unchanged.

const CASES = 40;
const limits = defaultValidationLimits;
const tally = new FuzzTally('http valid edges', 'routes');
const fuzzApp = fuzzAppForFile(tally);

const label = fc.oneof(hostileText({ minLength: 1, maxLength: 30 }), fc.constantFrom('🚀', '\ud800', 'k').map((unit) => unit.repeat(limits.maxLabelLength)));
const metadata = fc.dictionary(fc.oneof(fc.constantFrom(...trickyKeys), hostileText({ maxLength: 8 })), fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), { maxKeys: 5 });
const input = fc.oneof(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), fc.constant(nested(limits.maxJsonDepth)));

describe('POST /runs', () => {
  it('takes valid hostile input at the limits, appends one RunStarted, and gives it back unchanged', async () => {
    let made = 0;
    const bodies = fc.record({ runId: idAtLimit, kind: label, metadata, input }).map((body) => ({ ...body, runId: `${made++}-${body.runId}`.slice(0, limits.maxIdLength) }));
    await tally.check('POST /runs', bodies, async (body) => {
      const sent = JSON.parse(jsonText(body)) as { runId: string; kind: string; metadata: object; input: unknown };
      const before = await fuzzApp().head();
      const response = await fuzzApp().send({ method: 'POST', url: '/runs', headers: { 'Content-Type': 'application/json' }, body: jsonText(body) });
      expect({ status: response.status, body: preview(response.body) }).toEqual({ status: 201, body: expect.any(String) });
      expect(await fuzzApp().head()).not.toBe(before);
      const run = response.body as Run;
      expect(run).toMatchObject({ runId: sent.runId, kind: sent.kind, status: 'running' });
      expect(jsonText(run.metadata)).toBe(jsonText(sent.metadata));
      expect(jsonText(run.input)).toBe(jsonText(sent.input));
      const journal = await fuzzApp().send({ method: 'GET', url: `/runs/${encodeURIComponent(sent.runId)}/journal` });
      const events = journal.text.trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: { kind: string; input: unknown; metadata: object } });
      expect(events.map((event) => event.type)).toEqual(['RunStarted']);
      expect(jsonText(events[0].data.input)).toBe(jsonText(sent.input));
    }, CASES);
  }, 120_000);
});
