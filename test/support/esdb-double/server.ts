// Binds the services on 127.0.0.1 and implements suspend/resume and stop/start: the gRPC server goes
// away (open calls end with an error, new ones see UNAVAILABLE) while the event log, and the port, stay.
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { ActiveCalls } from './active-calls.js';
import { serviceError } from './errors.js';
import { EventLog, seedSystemEvents } from './event-log.js';
import { serverFeaturesGrpc, streamsGrpc } from './protocol.js';
import { RpcCallCounter, type RpcCallCounts } from './rpc-calls.js';
import { getSupportedMethods } from './server-features.js';
import { streamsService } from './streams-service.js';

const GRACEFUL_SHUTDOWN_MS = 1_000;

export interface EsdbDoubleServerOptions {
  readonly port: number;
  readonly batchAppend: boolean;
}

export class EsdbDoubleServer {
  private readonly log = new EventLog();
  private readonly callCounter = new RpcCallCounter();
  private readonly activeCalls = new ActiveCalls();
  private server: Server | undefined;
  private boundPort: number;

  private constructor(private readonly options: EsdbDoubleServerOptions) {
    this.boundPort = options.port;
    seedSystemEvents(this.log);
  }

  static async start(options: EsdbDoubleServerOptions): Promise<EsdbDoubleServer> {
    const double = new EsdbDoubleServer(options);
    await double.bind();
    return double;
  }

  get port(): number {
    return this.boundPort;
  }

  get calls(): RpcCallCounts {
    return this.callCounter.view;
  }

  async suspend(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.activeCalls.failAll(serviceError(status.UNAVAILABLE, 'Server is shutting down.'));
    // A graceful shutdown lets those statuses reach the client; unanswered calls are cut after a while.
    const forced = setTimeout(() => server.forceShutdown(), GRACEFUL_SHUTDOWN_MS);
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    clearTimeout(forced);
  }

  async resume(): Promise<void> {
    if (!this.server) await this.bind();
  }

  /** Like a killed server: every connection is cut at once, no call gets a status. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.forceShutdown();
  }

  /** Like a restarted server (its data kept on disk): the same port, the same log. */
  async start(): Promise<void> {
    await this.resume();
  }

  private async bind(): Promise<void> {
    const server = new Server();
    server.addService(streamsGrpc.StreamsService, streamsService(this.log, this.callCounter, this.activeCalls));
    // Without ServerFeatures the client gets UNIMPLEMENTED and falls back to Streams/Append.
    if (this.options.batchAppend) {
      server.addService(serverFeaturesGrpc.ServerFeaturesService, {
        getSupportedMethods: this.callCounter.counted('getSupportedMethods', getSupportedMethods),
      });
    }
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.boundPort}`, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.server = server;
  }
}
