// A TCP proxy in front of PostgreSQL that can go down and come back, as the database does
// when it restarts: every open connection is cut and new ones are refused meanwhile.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Cuts every connection and stops listening (connections are refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  // A fresh listener each time it comes up: a closing one may still hold connections from its
  // accept queue and would never listen again.
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((client) => {
        if (!server.listening) return client.destroy();
        const upstream = net.connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
    });
  let server: net.Server | undefined = await listen(0);
  const { port } = server.address() as net.AddressInfo;
  const down = () => {
    server?.close();
    server = undefined;
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
  const up = async () => {
    server ??= await listen(port);
  };
  return { port, down, up, close: down };
}
