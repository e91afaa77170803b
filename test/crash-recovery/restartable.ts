import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { openSqliteEventStore, type EventStore, type Position, type RecordedEvent } from '@runtree/event-store';
import type { ReadStore } from '@runtree/read-store';
import { EVENT_STORE, READ_STORE, sessionOf, type Orchestrator, type OrchestratorModuleOptions, type Session } from '@runtree/orchestration';
import { FaultyEventStore, type AppendFault, type FaultyEventStoreOptions } from '../support/faulty-store.js';
import { startOrchestrator, type StartedOrchestrator } from '../support/orchestrator-targets.js';

/** The orchestrator that will crash: it writes to the SQLite file through a faulty store. */
export interface DoomedOrchestrator {
  readonly orchestrator: Orchestrator;
  /**
   * Arms `fault`, runs `command` and checks that it died of exactly that fault (it rejected, and the armed
   * append was reached); then the process is gone: its module and store are closed.
   */
  crashDuring(fault: AppendFault, command: (orchestrator: Orchestrator) => Promise<unknown>): Promise<void>;
}

export interface RestartOptions extends Pick<OrchestratorModuleOptions, 'recoverOnStart'> {
  /** Delay of every subscription message of the new process's store. */
  readonly subscriptionDelayMs?: number;
}

/** An orchestrator started afresh on the file the crashed one left. */
export interface RestartedOrchestrator {
  readonly orchestrator: Orchestrator;
  /** The end of the global log: unchanged when a command appended nothing. */
  headPosition(): Promise<Position | 'start'>;
  /** A session as the read models hold it (the facade has no session getter). */
  session(sessionId: string): Promise<Session | undefined>;
  /** Every event of the session and thread streams, from the journal in the store. */
  substrateEvents(): Promise<RecordedEvent[]>;
  /** Every event of the journal in the store. */
  journal(): Promise<RecordedEvent[]>;
}

/**
 * One SQLite file that outlives the orchestrators opened on it, as a service's data outlives a
 * process: `startDoomed()` opens the one that crashes, `restart()` opens the next ones. `dispose()`
 * closes whatever is still open and deletes the file.
 */
export class RestartableStorage {
  private readonly open: (() => Promise<void>)[] = [];

  private constructor(
    private readonly directory: string,
    readonly path: string,
  ) {}

  static async create(): Promise<RestartableStorage> {
    const directory = await mkdtemp(join(tmpdir(), 'runtree-crash-'));
    return new RestartableStorage(directory, join(directory, 'runtree.sqlite'));
  }

  /** `faulty.multiStreamAppend`: the doomed process writes through `appendToStreams` (one commit per spawn). */
  async startDoomed(faulty: FaultyEventStoreOptions = {}): Promise<DoomedOrchestrator> {
    const launched = await this.launch({}, faulty);
    const { started } = launched;
    return {
      orchestrator: started.orchestrator,
      crashDuring: async (fault, command) => {
        const faultyStore = launched.faulty;
        faultyStore.failAppend(fault);
        const outcome = await command(started.orchestrator).then(
          (value) => `resolved with ${JSON.stringify(value)}`,
          () => 'rejected',
        );
        expect({ outcome, crashed: faultyStore.crash !== undefined }).toEqual({ outcome: 'rejected', crashed: true });
        await this.stop();
      },
    };
  }

  /**
   * A new process on the same file, with a plain SQLite store (or, with `subscriptionDelayMs`, one whose live
   * feed lags); ready (recovery included) when it resolves.
   */
  async restart(options: RestartOptions = {}): Promise<RestartedOrchestrator> {
    const { subscriptionDelayMs, ...moduleOptions } = options;
    const { started } = await this.launch(moduleOptions, subscriptionDelayMs === undefined ? undefined : { subscriptionDelayMs });
    const store = started.moduleRef.get<EventStore>(EVENT_STORE);
    const readStore = started.moduleRef.get<ReadStore>(READ_STORE);
    return {
      orchestrator: started.orchestrator,
      headPosition: () => store.headPosition(),
      session: async (sessionId) => {
        const row = await readStore.session(sessionId);
        return row && sessionOf(row);
      },
      substrateEvents: () => store.readAll({ filter: { streamNamePrefixes: ['session-', 'thread-'] } }),
      journal: () => store.readAll(),
    };
  }

  /** Stops the running orchestrator (its module, then its store), as a process ends. */
  async stop(): Promise<void> {
    for (const close of this.open.splice(0)) await close();
  }

  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      await rm(this.directory, { recursive: true, force: true });
    }
  }

  /**
   * Stops the previous process, then starts one on the file: through a FaultyEventStore when `faulty` options
   * are given, else on a SQLite store the module opens and closes itself.
   */
  private launch(moduleOptions: Omit<OrchestratorModuleOptions, 'store'>, faulty: FaultyEventStoreOptions): Promise<{ started: StartedOrchestrator; faulty: FaultyEventStore }>;
  private launch(moduleOptions: Omit<OrchestratorModuleOptions, 'store'>, faulty: FaultyEventStoreOptions | undefined): Promise<{ started: StartedOrchestrator; faulty?: FaultyEventStore }>;
  private async launch(moduleOptions: Omit<OrchestratorModuleOptions, 'store'>, faultyOptions: FaultyEventStoreOptions | undefined) {
    await this.stop();
    const faulty = faultyOptions && new FaultyEventStore(openSqliteEventStore({ path: this.path }), faultyOptions);
    const closeStore = async () => faulty?.close();
    let started: StartedOrchestrator;
    try {
      // A crashed process does not retry: the injected failure is the crash, so one attempt.
      started = await startOrchestrator({ storeRetry: { attempts: 1 }, ...moduleOptions, store: faulty ? { kind: 'instance', store: faulty } : { kind: 'sqlite', path: this.path } });
    } catch (error) {
      await closeStore();
      throw error;
    }
    this.open.push(async () => {
      try {
        await started.close();
      } finally {
        await closeStore();
      }
    });
    return { started, faulty };
  }
}
