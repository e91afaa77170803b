import * as t from 'io-ts';
import {
  AwaitResultCodec,
  CancelResultCodec,
  ChildCodec,
  ChildStatusCodec,
  CollectResultCodec,
  documented,
  errorCodes,
  inputCodecs,
  JournalEntryCodec,
  JsonObjectCodec,
  LinkCodec,
  ListedRunCodec,
  objectCodec,
  RunCodec,
  RunPageCodec,
  SessionCodec,
  StepCodec,
  ThreadCodec,
  type ValidationLimits,
} from '@runtree/orchestration';

// The shapes HTTP and the bus share, named once: the request bodies are the facade's option codecs
// (plus the JSON argument an operation takes beside them), the results are the library's codecs.
// Both documents' `components.schemas` are these, converted by `jsonSchemaOf`.

/** The fields of a command body besides its options: `{ task, ...options }` on delegate, `{ reason, ... }` on cancel. */
function withArguments<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O, options: { readonly shape: { readonly optional: t.Props } }) {
  return objectCodec(name, { required, optional: { ...options.shape.optional, ...optional } });
}

export const BusErrorCodec = t.readonly(
  t.type({
    code: t.keyof(Object.fromEntries([...errorCodes, 'internal_error'].map((code) => [code, null])) as Record<string, null>),
    message: t.string,
    details: JsonObjectCodec,
  }),
  'Error',
);

/** What `GET /runs/:id/journal/verification` answers: the checks `runtree journal verify` runs. */
export const JournalVerificationCodec = t.readonly(
  t.type({
    runId: t.string,
    tree: t.boolean,
    ok: documented(t.boolean, 'True when every check holds'),
    eventCount: t.number,
    streamCount: t.number,
    problems: documented(t.readonlyArray(t.readonly(t.type({ where: t.string, message: t.string }))), 'In journal order, as `runtree journal verify` prints them'),
  }),
  'JournalVerification',
);

/** Every shape by its component name, the request bodies built with the service's limits (so the documents state them). */
export function apiShapes(limits: ValidationLimits) {
  const codecs = inputCodecs(limits);
  return {
    Run: RunCodec,
    Step: StepCodec,
    Session: SessionCodec,
    Thread: ThreadCodec,
    Link: LinkCodec,
    Child: ChildCodec,
    ChildStatus: ChildStatusCodec,
    JournalEntry: JournalEntryCodec,
    CollectResult: CollectResultCodec,
    AwaitResult: AwaitResultCodec,
    CancelResult: CancelResultCodec,
    ListedRun: ListedRunCodec,
    RunPage: RunPageCodec,
    Ok: t.readonly(t.type({ ok: t.literal(true) }), 'Ok'),
    JournalVerification: JournalVerificationCodec,
    Error: BusErrorCodec,
    ErrorEnvelope: t.readonly(t.type({ error: BusErrorCodec }), 'ErrorEnvelope'),
    StartRunRequest: codecs.startRun,
    SpawnRequest: codecs.spawn,
    DelegateRequest: withArguments('the delegate request', { task: codecs.payload }, {}, codecs.delegate),
    CancelRequest: withArguments('the cancel request', {}, { reason: codecs.payload }, codecs.command),
    CompleteRequest: withArguments('the complete request', {}, { output: codecs.payload }, codecs.command),
    FailRequest: withArguments('the fail request', { error: codecs.payload }, {}, codecs.command),
    StartStepRequest: codecs.startStep,
    OpenSessionRequest: codecs.openSession,
    StartThreadRequest: codecs.startThread,
    CommandRequest: codecs.command,
  };
}

export type ApiShapes = ReturnType<typeof apiShapes>;
export type ApiShapeName = keyof ApiShapes;
