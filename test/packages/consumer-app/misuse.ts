import type { Orchestrator } from '@runtree/orchestration';

/** Never called: it compiles only while each misuse below is a type error in the consumer. */
export function misuses(orchestrator: Orchestrator): void {
  // @ts-expect-error a misspelt option (`knd` for `kind`) does not compile
  void orchestrator.startRun({ knd: 'typo' });
  // @ts-expect-error a timeout is a number of milliseconds
  void orchestrator.await('run-1', '30s');
  // @ts-expect-error the session target is 'inherit', 'none', an id or { open }
  void orchestrator.spawn('run-1', { session: { create: {} } });
}
