// Forward proxies for live tests: what sits between a laptop and an API server in many companies. Each one
// only tunnels bytes (the TLS session stays end to end with the API server) and records where it tunnelled to.
import http from 'node:http';
import net from 'node:net';

export interface TestProxy {
  url: string;
  /** host:port of every tunnel opened. */
  tunnels: string[];
  close(): Promise<void>;
}

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

/** An HTTP proxy that answers CONNECT (`proxy-url: http://…`). */
export async function startHttpProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = String(req.url).split(':');
    tunnels.push(String(req.url));
    const upstream = net.connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      pipeBoth(client, upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, tunnels, close: closer(server, sockets) };
}

/** A SOCKS5 proxy without authentication, CONNECT only, IPv4 and domain names (`proxy-url: socks5://…`). */
export async function startSocksProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffered = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!greeted) {
        // VER NMETHODS METHODS…: answer "no authentication".
        if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
        buffered = buffered.subarray(2 + buffered[1]!);
        greeted = true;
        client.write(Buffer.from([5, 0]));
      }
      // VER CMD RSV ATYP ADDR PORT
      if (buffered.length < 5) return;
      const atyp = buffered[3]!;
      const addrLength = atyp === 1 ? 4 : atyp === 3 ? 1 + buffered[4]! : -1;
      if (addrLength < 0 || buffered[1] !== 1) {
        client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
        return;
      }
      if (buffered.length < 4 + addrLength + 2) return;
      const host = atyp === 1 ? [...buffered.subarray(4, 8)].join('.') : buffered.subarray(5, 5 + buffered[4]!).toString();
      const port = buffered.readUInt16BE(4 + addrLength);
      const rest = buffered.subarray(4 + addrLength + 2);
      client.off('data', onData);
      tunnels.push(`${host}:${port}`);
      const upstream = net.connect(port, host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (rest.length > 0) upstream.write(rest);
        pipeBoth(client, upstream);
      });
      upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
    };
    client.on('data', onData);
  });
  const port = await listen(server);
  return { url: `socks5://127.0.0.1:${port}`, tunnels, close: closer(server, sockets) };
}
