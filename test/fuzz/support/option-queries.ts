import fc from 'fast-check';
import { invalidIncludeText, invalidPageSizeText } from './hostile-values.js';
import { badValueOf, validInput, type FieldKind, type InputField, type InputShape } from './input-fields.js';

// A facade's options given as a query string (GET /runs): each value as the route reads it, text
// only. `limit` is digits, `include` comma-separated; every other option is its text as it is.

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text a URL can carry: a lone surrogate has no UTF-8, so encodeURIComponent throws on it. */
export function urlSafe(text: string): boolean {
  return !loneSurrogate.test(text);
}

/** A valid option value as its query text. */
function queryTextOf(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value.replace(new RegExp(loneSurrogate, 'g'), '\ufffd') : String(value);
}

/** Valid options as query pairs, optionally without some keys. */
export function validQueryPairs(shape: InputShape, omit: readonly string[] = []): fc.Arbitrary<[string, string][]> {
  return validInput(shape, omit).map((options) => Object.entries(options).map(([key, value]): [string, string] => [key, queryTextOf(value)]));
}

/** Query text a key of this kind refuses; under 4,000 characters so the URL stays within Node's header limit. */
export function badQueryTextOf(kind: FieldKind): fc.Arbitrary<string> {
  const texts =
    kind === 'pageSize' ? invalidPageSizeText
    : kind === 'include' ? invalidIncludeText
    : badValueOf(kind)
        .map(({ value }) => value)
        .filter((value): value is string => typeof value === 'string');
  return texts.filter((text) => text.length < 4_000 && urlSafe(text));
}

/** One option of the shape given text it refuses, beside valid values of the others. */
export function badOptionQueries(shape: InputShape): fc.Arbitrary<{ readonly field: InputField; readonly pairs: [string, string][]; readonly bad: string }> {
  return fc
    .constantFrom(...shape.fields)
    .chain((field) => fc.tuple(fc.constant(field), validQueryPairs(shape, [field.name]), badQueryTextOf(field.kind)))
    .map(([field, pairs, bad]) => ({ field, pairs: [...pairs, [field.name, bad]], bad }));
}
