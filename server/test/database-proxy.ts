/**
 * A TCP proxy to the test database server that a test controls: new connections and their bytes pass, are refused
 * (a stopped database) or are held (a frozen one). Used by the database-fault, health and shutdown tests.
 */
import net from 'node:net';

type Mode = 'pass' | 'refuse' | 'freeze';

/** A proxy to the database server: new connections and their bytes pass, are refused, or are held. */
export async function databaseProxy(target: { host: string; port: number }) {
  let mode: Mode = 'pass';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (mode === 'pass') to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    for (const s of [client, upstream])
      s.on('error', () => undefined).on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    set(next: Mode) {
      mode = next;
      // A stopped database drops the connections it had; a frozen one keeps them open and silent.
      if (next === 'refuse') for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export type DatabaseProxy = Awaited<ReturnType<typeof databaseProxy>>;
