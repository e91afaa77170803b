import fc from 'fast-check';
import { defaultValidationLimits, fieldPath } from '@runtree/orchestration';
import { defaultServiceLimits } from '../../../apps/runtree/src/config.js';
import type { FuzzRequest, Refusal } from './http-fuzz.js';
import { hostileText, invalidIdPathSegment, invalidIdString, invalidTimeoutText, jsonText, nested, unknownKey, validId } from './hostile-values.js';
import { defectOf, preview, validInput } from './input-fields.js';
import type { Fixture } from './fixture.js';
import { badOptionQueries, urlSafe, validQueryPairs } from './option-queries.js';
import { paramError, paramsOf, pathOf, reservedQueryKeys, type HttpRoute, type QueryShape } from './http-routes.js';

/** A hostile request and how it must be refused. */
export interface HttpCase {
  readonly label: string;
  readonly request: FuzzRequest;
  readonly refusal: Refusal;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const notFoundCodes = ['not_found', 'parent_not_found', 'session_not_found', 'thread_not_found'];

function post(url: string, body: string | Buffer, headers: { readonly [name: string]: string } = JSON_TYPE): FuzzRequest {
  return { method: 'POST', url, headers, body };
}

/** A valid body with one defect: a wrong field, a missing required one, an unknown or refused key. */
function bodyFieldCases(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  if (route.body === undefined) return undefined;
  const shape = route.body;
  return fc.tuple(validInput(shape), defectOf(shape)).map(([valid, defect]) => ({
    label: `body ${defect.label}`,
    request: post(pathOf(route, fixture), jsonText(defect.apply(valid))),
    refusal: defect.oversized
      ? { statuses: [400, 413], codes: [defect.code], fields: ['body', defect.field] }
      : { statuses: [400], codes: [defect.code], fields: [defect.field] },
  }));
}

/** An `Idempotency-Key` that is no id, or that differs from the body's `commandId`. */
function idempotencyKeyCases(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  const shape = route.body;
  if (shape === undefined || !shape.fields.some((field) => field.name === 'commandId')) return undefined;
  // What an HTTP header can carry unchanged: visible ASCII, nothing to trim.
  const headerSafe = invalidIdString.filter((key) => /^[\x21-\x7e]([\x20-\x7e]{0,4000}[\x21-\x7e])?$/.test(key));
  const refusal: Refusal = { statuses: [400], codes: ['invalid_option'], fields: ['commandId'] };
  return fc.oneof(
    fc.tuple(validInput(shape, ['commandId']), headerSafe).map(([body, key]) => ({
      label: `Idempotency-Key ${preview(key)}`,
      request: post(pathOf(route, fixture), jsonText(body), { ...JSON_TYPE, 'Idempotency-Key': key }),
      refusal,
    })),
    fc.tuple(validInput(shape, ['commandId']), validId, validId.map((id) => `${id}-other`)).map(([body, key, commandId]) => ({
      label: 'Idempotency-Key differing from commandId',
      request: post(pathOf(route, fixture), jsonText({ ...body, commandId }), { ...JSON_TYPE, 'Idempotency-Key': key }),
      refusal,
    })),
  );
}

const objectText = '{"kind":"x"}';

/** Bodies that are no JSON object: broken JSON, arrays and scalars, other media types, charsets and encodings, too large or too deep. */
export function rawBodyCases(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  if (route.method !== 'POST') return undefined;
  const url = pathOf(route, fixture);
  const body = (statuses: number[], fields = ['body']): Refusal => ({ statuses, codes: ['invalid_option', 'unsupported_option'], fields });
  const brokenJson = fc.oneof(
    fc.constantFrom('{', '{"a":}', "{'a':1}", 'undefined', 'NaN', '{"a":NaN}', '{"a":1,}', '{"a" 1}', '\u0000', '{}{}', '{"a":1}x', '{"a":"\\x"}', '{"\ud800":1', ' '),
    hostileText({ minLength: 1, maxLength: 40 }).filter((text) => !parses(text)),
  );
  const notAnObject = fc.oneof(
    fc.constantFrom('5', '"x"', 'null', 'true', '[]', '[{}]', '-0', '1e400'),
    fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => JSON.stringify(value)),
  );
  const otherMediaTypes = fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    'application/jsonx',
    'text/json',
    'application/ld+json',
    'application/json-patch+json',
  );
  return fc.oneof(
    brokenJson.map((text) => ({ label: `broken JSON ${preview(text)}`, request: post(url, text), refusal: body([400]) })),
    notAnObject.map((text) => ({ label: `JSON that is no object ${preview(text)}`, request: post(url, text), refusal: body([400]) })),
    otherMediaTypes.map((type) => ({ label: `Content-Type ${type}`, request: post(url, objectText, { 'Content-Type': type }), refusal: body([400, 415]) })),
    fc.constantFrom('iso-8859-1', 'latin1', 'ascii', 'utf-32', 'ebcdic').map((charset) => ({
      label: `charset ${charset}`,
      request: post(url, objectText, { 'Content-Type': `application/json; charset=${charset}` }),
      refusal: body([400, 415]),
    })),
    fc.constantFrom('compress', 'zstd', 'gzip', 'deflate', 'br', 'x-unknown').map((encoding) => ({
      label: `Content-Encoding ${encoding} over plain bytes`,
      request: post(url, objectText, { ...JSON_TYPE, 'Content-Encoding': encoding }),
      refusal: body([400, 415]),
    })),
    fc.constantFrom(1, 1_000, 100_000).map((extra) => ({
      label: `body ${extra} bytes over the limit`,
      request: post(url, `{"input":"${'x'.repeat(defaultServiceLimits.maxBodyBytes + extra)}"}`),
      refusal: { statuses: [413], codes: ['payload_too_large'], fields: ['body'] },
    })),
    fc.constantFrom(defaultValidationLimits.maxJsonDepth + 1, 100_000).map((levels) => ({
      label: `an array ${levels} levels deep as the body`,
      request: post(url, `${'['.repeat(levels)}]${']'.repeat(levels - 1)}`),
      refusal: body([400]),
    })),
    fc.constantFrom(defaultValidationLimits.maxJsonDepth + 1, 100_000).map((levels) => ({
      label: `a body ${levels} levels deep under an unknown key`,
      request: post(url, jsonText({ ...requiredFields(route), deep: nested(levels) })),
      refusal: body([400], ['deep']),
    })),
  );
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Each path parameter replaced by an encoded id that is no id, or by an escape that is no UTF-8. */
function paramCases(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  const params = paramsOf(route);
  if (params.length === 0) return undefined;
  return fc.tuple(fc.constantFrom(...params), invalidIdPathSegment).map(([param, segment]) => {
    const { field, code } = paramError(route, param);
    return {
      label: `${param} ${segment.slice(0, 80)}`,
      request: withBody(route, pathOf(route, fixture, { [param]: segment }), validQuery(route)),
      refusal: { statuses: [400], codes: [code, 'invalid_option'], fields: [field, param] },
    };
  });
}

/** A query the route accepts: `timeoutMs=0` for an await, none otherwise. */
function validQuery(route: HttpRoute): string {
  return route.query?.timeout ? `?${route.query.timeout}=0` : '';
}

/** The route's request with the given query and, on a POST, a valid body (the required fields only). */
function withBody(route: HttpRoute, url: string, query = ''): FuzzRequest {
  return route.method === 'GET' ? { method: 'GET', url: `${url}${query}` } : post(`${url}${query}`, JSON.stringify(requiredFields(route)));
}

/** The body fields a route requires, with valid values. */
function requiredFields(route: HttpRoute): { [field: string]: unknown } {
  return Object.fromEntries((route.body?.fields ?? []).filter((field) => field.required).map((field) => [field.name, 'x']));
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  return `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** Unknown keys, booleans that are not `true`/`false`, options the facade refuses (as text), repeated keys, and timeouts that are no non-negative integer within the maximum. */
function queryCases(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  const query: QueryShape | undefined = route.query;
  if (query === undefined) return undefined;
  const url = pathOf(route, fixture);
  const known = [...query.booleans, ...(query.timeout ? [query.timeout] : []), ...(query.options?.fields.map((field) => field.name) ?? []), ...reservedQueryKeys];
  const text = hostileText({ maxLength: 12 }).filter(urlSafe);
  const cases: fc.Arbitrary<HttpCase>[] = [
    fc.tuple(unknownKey(known).filter(urlSafe), text).map(([key, value]) => ({
      label: `unknown query key ${preview(key)}`,
      request: withBody(route, url, queryString([[key, value]])),
      refusal: { statuses: [400], codes: ['unsupported_option'], fields: [fieldPath('', key)] },
    })),
  ];
  if (query.booleans.length > 0) {
    const notBoolean = fc.oneof(fc.constantFrom('TRUE', 'False', '1', '0', 'yes', '', ' true', 'true ', 'null', '"true"'), text).filter((value) => value !== 'true' && value !== 'false');
    cases.push(
      fc.tuple(fc.constantFrom(...query.booleans), notBoolean).map(([key, value]) => ({
        label: `${key}=${preview(value)}`,
        request: withBody(route, url, queryString([[key, value]])),
        refusal: { statuses: [400], codes: ['invalid_option'], fields: [key] },
      })),
      fc.tuple(fc.constantFrom(...query.booleans), fc.constantFrom('true', 'false'), fc.constantFrom('true', 'false')).map(([key, first, second]) => ({
        label: `${key} repeated`,
        request: withBody(route, url, queryString([[key, first], [key, second]])),
        refusal: { statuses: [400], codes: ['invalid_option'], fields: [key] },
      })),
    );
  }
  const options = query.options;
  if (options !== undefined) {
    cases.push(
      badOptionQueries(options).map(({ field, pairs, bad }) => ({
        label: `${field.name}=${preview(bad)}`,
        request: withBody(route, url, queryString(pairs)),
        refusal: { statuses: [400], codes: ['invalid_option'], fields: [field.name] },
      })),
      fc.constantFrom(...options.fields).chain((field) => {
        const once = validQueryPairs({ fields: [{ ...field, required: true }], refusedKeys: [] });
        return fc.tuple(validQueryPairs(options, [field.name]), once, once).map(([others, first, second]) => ({
          label: `${field.name} repeated`,
          request: withBody(route, url, queryString([...others, ...first, ...second])),
          refusal: { statuses: [400], codes: ['invalid_option'], fields: [field.name] },
        }));
      }),
    );
  }
  const timeout = query.timeout;
  if (timeout !== undefined) {
    const refusal: Refusal = { statuses: [400], codes: ['invalid_timeout'], fields: [timeout] };
    cases.push(
      invalidTimeoutText.map((value) => ({ label: `${timeout}=${value.slice(0, 40)}`, request: withBody(route, url, queryString([[timeout, value]])), refusal })),
      fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 })).map(([first, second]) => ({
        label: `${timeout} repeated`,
        request: withBody(route, url, queryString([[timeout, String(first)], [timeout, String(second)]])),
        refusal,
      })),
      fc.constant({ label: `${timeout} missing`, request: withBody(route, url), refusal }),
    );
  }
  return fc.oneof(...cases);
}

/** Every kind of hostile request the route can get, each refused with a 4xx naming what is wrong. */
export function hostileRequests(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> {
  const kinds = [bodyFieldCases, idempotencyKeyCases, rawBodyCases, paramCases, queryCases]
    .map((kind) => kind(route, fixture))
    .filter((kind): kind is fc.Arbitrary<HttpCase> => kind !== undefined);
  return fc.oneof(...kinds);
}

/** A valid request naming, in one path parameter, an id nothing has: 404 with the code of what is missing. */
export function unknownIdRequests(route: HttpRoute, fixture: Fixture): fc.Arbitrary<HttpCase> | undefined {
  const params = paramsOf(route);
  if (params.length === 0) return undefined;
  return fc.tuple(fc.constantFrom(...params), validId).map(([param, id]) => ({
    label: `unknown ${param} ${id}`,
    request: withBody(route, pathOf(route, fixture, { [param]: encodeURIComponent(`unknown-${id}`) }), validQuery(route)),
    refusal: { statuses: [404], codes: notFoundCodes },
  }));
}
