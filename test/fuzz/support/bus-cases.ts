import fc from 'fast-check';
import { defaultValidationLimits } from '@runtree/orchestration';
import { busOperationShapes, type BusOperation } from '../../../apps/runtree/src/bus/index.js';
import { defectOf, preview, shapeOfObjectCodec, validInput, type InputShape } from './input-fields.js';
import type { Fixture } from './fixture.js';

// Every bus operation's request, read from its codec (bus-payloads.ts): one flat object of the
// addressed ids, the JSON argument and the options, each field fuzzed by the kind of its codec.

export interface BusShape {
  readonly operation: BusOperation;
  readonly request: InputShape;
}

const shapes = busOperationShapes(defaultValidationLimits);

export function busShape(operation: BusOperation): BusShape {
  return { operation, request: shapeOfObjectCodec(shapes[operation].request) };
}

/** A hostile request and how its error reply must look. */
export interface BusCase {
  readonly label: string;
  /** May hold `NestedJson` markers: `materialized` gives the value, `jsonText` the wire bytes. */
  readonly payload: unknown;
  readonly code: string;
  readonly field: string;
}

/** Fields that name existing records: the fixture, so a defect is the only thing wrong. */
function aimedAtFixture(args: { [key: string]: unknown }, fixture: Fixture): { [key: string]: unknown } {
  const aimed = { ...args };
  for (const name of ['runId', 'stepId', 'sessionId', 'threadId'] as const) if (Object.hasOwn(aimed, name)) aimed[name] = fixture[name];
  if (Object.hasOwn(aimed, 'parent')) aimed.parent = fixture.runId;
  return aimed;
}

/** Requests with one defect: a field, an unknown or refused key, or the request as a whole. */
export function hostilePayloads(shape: BusShape, fixture: Fixture): fc.Arbitrary<BusCase> {
  const valid = validInput(shape.request).map((input) => aimedAtFixture(input, fixture));
  return fc.oneof(
    fc.tuple(valid, defectOf(shape.request)).map(([request, defect]) => ({
      label: `${shape.operation} ${defect.label}`,
      payload: defect.apply(request),
      code: defect.code,
      field: defect.field,
    })),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })).map((payload) => ({
      label: `${shape.operation} request ${preview(payload)}`,
      payload,
      code: 'invalid_option',
      field: 'request',
    })),
  );
}

/** Checks a reply is the error a hostile request must get: `{ ok: false, error: { code, message, details } }` naming the field. */
export function expectErrorReply(reply: unknown, hostile: Pick<BusCase, 'code' | 'field'>): void {
  const refused = (reason: string) => new Error(`${reason}; the reply was ${JSON.stringify(reply)?.slice(0, 400)}`);
  const { ok, error } = (reply ?? {}) as { ok?: unknown; error?: { code?: unknown; message?: unknown; details?: { field?: unknown } } };
  if (ok !== false || typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') throw refused('expected { ok: false, error: { code, message } }');
  if (error.code !== hostile.code) throw refused(`expected code ${hostile.code}`);
  const field = String(error.details?.field);
  if (field !== hostile.field && !field.startsWith(`${hostile.field}.`) && !field.startsWith(`${hostile.field}[`)) throw refused(`expected details.field to name ${JSON.stringify(hostile.field)}`);
  if (!error.message.includes(hostile.field)) throw refused(`expected the message to name ${JSON.stringify(hostile.field)}`);
}
