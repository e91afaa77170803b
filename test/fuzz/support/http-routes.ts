import type { ErrorCode } from '@runtree/orchestration';
import type { Fixture, PathParam } from './fixture.js';
import { inputShape, type InputField, type InputShape } from './input-fields.js';

// Every route of the HTTP API, with what its path, body and query take. Bodies are read from the
// facade's codecs (see input-fields.ts); only the arguments a controller takes beside them are listed.

export interface QueryShape {
  /** Keys taking `'true'` / `'false'`. */
  readonly booleans: readonly string[];
  /** The one key taking a timeout, when the route has one (required then). */
  readonly timeout?: string;
  /** Keys taking the facade's options as text (a listing's filters), read from its codec. */
  readonly options?: InputShape;
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  /** Express-style, e.g. `/runs/:runId/steps/:stepId/complete`. */
  readonly template: string;
  /** A POST route's body; a route without one takes none (refusing any key). */
  readonly body?: InputShape;
  readonly query?: QueryShape;
  /** How the facade names a path parameter, when not by its own name (a parent run is `parent`). */
  readonly paramErrors?: Partial<Record<PathParam, { readonly field: string; readonly code: ErrorCode }>>;
}

const payload = (name: string, required = false): InputField => ({ name, kind: 'payload', required });
const parentParam = { runId: { field: 'parent', code: 'invalid_parent' as const } };

export const apiRoutes: readonly HttpRoute[] = [
  { method: 'POST', template: '/runs', body: inputShape('startRun') },
  { method: 'GET', template: '/runs', query: { booleans: [], options: inputShape('listRuns') } },
  { method: 'GET', template: '/runs/:runId', query: { booleans: ['includeSteps', 'includeJournal', 'includeDescendants'] } },
  { method: 'GET', template: '/runs/:runId/status', query: { booleans: [] } },
  { method: 'GET', template: '/runs/:runId/children', query: { booleans: [] }, paramErrors: parentParam },
  { method: 'POST', template: '/runs/:runId/children', body: inputShape('spawn'), paramErrors: parentParam },
  { method: 'POST', template: '/runs/:runId/delegations', body: inputShape('delegate', [payload('task', true)]), paramErrors: parentParam },
  { method: 'POST', template: '/runs/:runId/cancel', body: inputShape('command', [payload('reason')]) },
  { method: 'GET', template: '/runs/:runId/await', query: { booleans: [], timeout: 'timeoutMs' } },
  { method: 'POST', template: '/runs/:runId/complete', body: inputShape('command', [payload('output')]) },
  { method: 'POST', template: '/runs/:runId/fail', body: inputShape('command', [payload('error', true)]) },
  { method: 'POST', template: '/runs/:runId/steps', body: inputShape('startStep') },
  { method: 'POST', template: '/runs/:runId/steps/:stepId/complete', body: inputShape('command', [payload('output')]) },
  { method: 'POST', template: '/runs/:runId/steps/:stepId/fail', body: inputShape('command', [payload('error', true)]) },
  { method: 'GET', template: '/runs/:runId/journal', query: { booleans: ['descendants', 'follow'] } },
  { method: 'POST', template: '/sessions', body: inputShape('openSession') },
  { method: 'POST', template: '/sessions/:sessionId/close', body: inputShape('command') },
  { method: 'POST', template: '/sessions/:sessionId/threads', body: inputShape('startThread') },
  { method: 'POST', template: '/threads/:threadId/close', body: inputShape('command') },
];

export const adminRoutes: readonly HttpRoute[] = [
  { method: 'POST', template: '/admin/clear', body: { fields: [], refusedKeys: [] }, query: { booleans: [] } },
  { method: 'POST', template: '/admin/rebuild', body: { fields: [], refusedKeys: [] }, query: { booleans: [] } },
];

/** Query keys a route may take in a later version (journal paging): never generated as unknown keys. */
export const reservedQueryKeys = ['after', 'limit', 'cursor', 'page', 'token'];

export function routeName(route: HttpRoute): string {
  return `${route.method} ${route.template}`;
}

export function paramsOf(route: HttpRoute): PathParam[] {
  return [...route.template.matchAll(/:(\w+)/g)].map((match) => match[1] as PathParam);
}

/** The route's path with each parameter given (already URL-encoded) or taken from the fixture. */
export function pathOf(route: HttpRoute, fixture: Fixture, encoded: Partial<Record<PathParam, string>> = {}): string {
  return route.template.replace(/:(\w+)/g, (_match, name: PathParam) => encoded[name] ?? encodeURIComponent(fixture[name]));
}

/** How the error of a bad path parameter must look. */
export function paramError(route: HttpRoute, param: PathParam): { readonly field: string; readonly code: ErrorCode } {
  return route.paramErrors?.[param] ?? { field: param, code: 'invalid_option' };
}
