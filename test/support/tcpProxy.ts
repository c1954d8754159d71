import net from "node:net";

/**
 * A TCP proxy on loopback between the service and PostgreSQL that a test can pause (it keeps every connection
 * but forwards nothing, as a hung network or a frozen server would) and cut (it drops every connection and
 * refuses new ones, as a server that went away), then resume.
 */
export interface TcpProxy {
  port: number;
  pause(): void;
  cut(): void;
  resume(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  held: { to: net.Socket; chunk: Buffer }[];
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: "open" | "paused" | "cut" = "open";
  const pairs = new Set<Pair>();
  const forward = (pair: Pair, to: net.Socket) => (chunk: Buffer) => {
    if (state === "paused") pair.held.push({ to, chunk });
    else to.write(chunk);
  };
  const server = net.createServer((client) => {
    if (state === "cut") return client.destroy();
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    client.on("data", forward(pair, upstream));
    upstream.on("data", forward(pair, client));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    pause: () => {
      state = "paused";
    },
    cut: () => {
      state = "cut";
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      pairs.clear();
    },
    resume: () => {
      state = "open";
      for (const p of pairs) {
        for (const { to, chunk } of p.held.splice(0)) to.write(chunk);
      }
    },
    close: () => {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
