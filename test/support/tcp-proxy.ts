import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy in front of a broker that can play the broker's restart as its clients see it: every
 * connection dropped, new ones refused, then accepted again on the same port.
 */
export interface TcpProxy {
  readonly port: number;
  /** Drops every open connection and stops listening: connecting is refused until `restore`. */
  cutOff(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let server: Server | undefined;

  const accept = (client: Socket) => {
    const upstream = new Socket();
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.connect(target.port, target.host, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  };

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const listening = createServer(accept);
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        server = listening;
        resolve((listening.address() as AddressInfo).port);
      });
    });

  const stopListening = async () => {
    const listening = server;
    server = undefined;
    const closed = new Promise<void>((resolve) => (listening ? listening.close(() => resolve()) : resolve()));
    for (const socket of open) socket.destroy();
    open.clear();
    await closed;
  };

  const port = await listen(0);
  return {
    port,
    cutOff: stopListening,
    restore: async () => {
      if (server === undefined) await listen(port);
    },
    close: stopListening,
  };
}
