/**
 * A network between a server and ACS, for the benchmark: a TCP proxy on loopback that delays every chunk by
 * `oneWayMs` in each direction (so one HTTP request and its answer cost 2 x oneWayMs more) and a new connection by
 * one extra round trip (the TCP handshake a real network charges before the first byte). Order is kept: each
 * direction is one queue drained by a single timer. With oneWayMs = 0 it forwards at once (the same hop, no delay),
 * so the 0 ms figures go through the same proxy as the 40 ms ones.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface LatencyProxy {
  port: number;
  /** Connections accepted so far (each costs the handshake round trip once). */
  connections(): number;
  close(): Promise<void>;
}

/** Writes chunks to `to` `delayMs` after they left (no earlier than `notBefore()`), in order. */
function delayedPipe(from: Socket, to: Socket, delayMs: number, notBefore: () => number): void {
  if (delayMs === 0) {
    from.pipe(to);
    return;
  }
  const queue: { at: number; data: Buffer | null }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= now + 0.5) {
      const { data } = queue.shift() as { at: number; data: Buffer | null };
      if (data === null) to.end();
      else if (!to.destroyed) to.write(data);
    }
    const next = queue[0];
    if (next) timer = setTimeout(drain, Math.max(0, next.at - now));
  };
  const push = (data: Buffer | null) => {
    const last = queue.at(-1)?.at ?? 0;
    // It leaves once the connection is up, then travels one way.
    queue.push({ at: Math.max(Math.max(performance.now(), notBefore()) + delayMs, last), data });
    if (!timer) timer = setTimeout(drain, Math.max(0, (queue[0]?.at ?? 0) - performance.now()));
  };
  from.on("data", (chunk: Buffer) => push(chunk));
  from.once("end", () => push(null));
  const stop = () => {
    if (timer) clearTimeout(timer);
    queue.length = 0;
  };
  from.once("close", () => {
    if (queue.length === 0) stop();
  });
  to.once("close", stop);
}

export async function startLatencyProxy(options: {
  port: number;
  targetPort: number;
  targetHost?: string;
  oneWayMs: number;
}): Promise<LatencyProxy> {
  const { oneWayMs, targetPort, targetHost = "127.0.0.1" } = options;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (client) => {
    accepted++;
    // The handshake's round trip: the client's first bytes leave one round trip after it connected.
    const established = performance.now() + 2 * oneWayMs;
    const upstream = connect({ port: targetPort, host: targetHost, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
    delayedPipe(client, upstream, oneWayMs, () => established);
    delayedPipe(upstream, client, oneWayMs, () => 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    connections: () => accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
