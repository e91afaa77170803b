import fc from 'fast-check';
import { busPayloads, type BusOperation } from '../../../apps/runtree/src/bus/index.js';
import { ObjectType } from '../../../libs/orchestration/src/validation/object-codec.js';
import { defectOf, inputShape, preview, validInput, type FieldKind, type InputField, type InputShape, type OptionsName } from './input-fields.js';
import type { Fixture } from './fixture.js';

// Every bus pattern's payload, read from its codec (bus-payloads.ts): its top-level arguments, and
// for `options` the facade's options codec the operation passes them to (bus-operations.ts).

/** What the facade takes each top-level argument as. */
const argumentKinds: { readonly [argument: string]: FieldKind } = {
  runId: 'id',
  stepId: 'id',
  sessionId: 'id',
  threadId: 'id',
  commandId: 'id',
  correlationId: 'id',
  causationId: 'id',
  parent: 'parent',
  task: 'payload',
  output: 'payload',
  error: 'payload',
  reason: 'payload',
  timeoutMs: 'timeout',
};

const optionsOf: Partial<Record<BusOperation, OptionsName>> = {
  'run.start': 'startRun',
  'run.spawn': 'spawn',
  'run.delegate': 'delegate',
  'step.start': 'startStep',
  'run.collect': 'collect',
  'run.list': 'listRuns',
  'session.open': 'openSession',
  'thread.start': 'startThread',
};

export interface BusShape {
  readonly operation: BusOperation;
  /** The top-level arguments but `options`. */
  readonly arguments: InputShape;
  readonly options?: InputShape;
}

export function busShape(operation: BusOperation): BusShape {
  const codec = busPayloads[operation] as unknown;
  if (!(codec instanceof ObjectType)) throw new Error(`The ${operation} payload codec is not an object codec`);
  const { required, optional } = codec.shape;
  const field = (name: string, isRequired: boolean): InputField => {
    const kind = argumentKinds[name];
    if (kind === undefined) throw new Error(`${operation}: no hostile values for the argument ${name} (add it to test/fuzz/support/bus-cases.ts)`);
    return { name, kind, required: isRequired };
  };
  const names = (props: object) => Object.keys(props).filter((name) => name !== 'options');
  const options = optionsOf[operation];
  if (Object.hasOwn(optional, 'options') !== (options !== undefined)) throw new Error(`${operation}: say which options codec its options go to`);
  return {
    operation,
    arguments: { fields: [...names(required).map((name) => field(name, true)), ...names(optional).map((name) => field(name, false))], refusedKeys: [] },
    ...(options !== undefined ? { options: inputShape(options) } : {}),
  };
}

/** A hostile payload and how its error reply must look. */
export interface BusCase {
  readonly label: string;
  /** May hold `NestedJson` markers: `materialized` gives the value, `jsonText` the wire bytes. */
  readonly payload: unknown;
  readonly code: string;
  readonly field: string;
}

/** Arguments that name existing records: the fixture, so a defect is the only thing wrong. */
function aimedAtFixture(args: { [key: string]: unknown }, fixture: Fixture): { [key: string]: unknown } {
  const aimed = { ...args };
  for (const name of ['runId', 'stepId', 'sessionId', 'threadId'] as const) if (Object.hasOwn(aimed, name)) aimed[name] = fixture[name];
  if (Object.hasOwn(aimed, 'parent')) aimed.parent = fixture.runId;
  return aimed;
}

function validPayload(shape: BusShape, fixture: Fixture): fc.Arbitrary<{ [key: string]: unknown }> {
  const args = validInput(shape.arguments).map((valid) => aimedAtFixture(valid, fixture));
  if (shape.options === undefined) return args;
  return fc.tuple(args, fc.option(validInput(shape.options), { nil: undefined })).map(([valid, options]) => (options === undefined ? valid : { ...valid, options }));
}

/** Payloads with one defect: an argument, an option, the options themselves, a key, or the payload as a whole. */
export function hostilePayloads(shape: BusShape, fixture: Fixture): fc.Arbitrary<BusCase> {
  const argumentDefects = fc.tuple(validPayload(shape, fixture), defectOf(shape.arguments)).map(([valid, defect]) => ({
    label: `${shape.operation} ${defect.label}`,
    payload: defect.apply(valid),
    code: defect.code,
    field: defect.field,
  }));
  const cases: fc.Arbitrary<BusCase>[] = [
    // An unknown key that happens to be `options` is no defect where options are taken.
    argumentDefects.filter((hostile) => hostile.field !== 'options' || shape.options === undefined),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })).map((payload) => ({
      label: `${shape.operation} payload ${preview(payload)}`,
      payload,
      code: 'invalid_option',
      field: 'payload',
    })),
  ];
  const options = shape.options;
  if (options !== undefined) {
    cases.push(
      fc.tuple(validPayload(shape, fixture), validInput(options), defectOf(options)).map(([valid, optionsValid, defect]) => ({
        label: `${shape.operation} options.${defect.label}`,
        payload: { ...valid, options: defect.apply(optionsValid) },
        code: defect.code,
        field: defect.field,
      })),
      fc.tuple(validPayload(shape, fixture), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }))).map(([valid, value]) => ({
        label: `${shape.operation} options ${preview(value)}`,
        payload: { ...valid, options: value },
        code: 'invalid_option',
        field: 'options',
      })),
    );
  } else {
    cases.push(
      fc.tuple(validPayload(shape, fixture), fc.jsonValue({ maxDepth: 1 })).map(([valid, value]) => ({
        label: `${shape.operation} options where none are taken`,
        payload: { ...valid, options: value },
        code: 'unsupported_option',
        field: 'options',
      })),
    );
  }
  return fc.oneof(...cases);
}

/** Checks a reply is the error a hostile payload must get: `{ ok: false, error: { code, message, details } }` naming the field. */
export function expectErrorReply(reply: unknown, hostile: Pick<BusCase, 'code' | 'field'>): void {
  const refused = (reason: string) => new Error(`${reason}; the reply was ${JSON.stringify(reply)?.slice(0, 400)}`);
  const { ok, error } = (reply ?? {}) as { ok?: unknown; error?: { code?: unknown; message?: unknown; details?: { field?: unknown } } };
  if (ok !== false || typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') throw refused('expected { ok: false, error: { code, message } }');
  if (error.code !== hostile.code) throw refused(`expected code ${hostile.code}`);
  const field = String(error.details?.field);
  if (field !== hostile.field && !field.startsWith(`${hostile.field}.`) && !field.startsWith(`${hostile.field}[`)) throw refused(`expected details.field to name ${JSON.stringify(hostile.field)}`);
  if (!error.message.includes(hostile.field)) throw refused(`expected the message to name ${JSON.stringify(hostile.field)}`);
}
