import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type EmulatorConfig, type EmulatorOptions, loadConfig } from "./config";
import type { Context } from "./context";
import { KeyStore } from "./entra/keys";
import { createRouter } from "./router";
import { EmulatorState } from "./state";

export type { EmulatorOptions } from "./config";

export interface RunningEmulator {
  /** HTTP origin actually listened on, e.g. http://localhost:3100 (no trailing slash). */
  url: string;
  /** HTTPS origin (self-signed certificate of emulator/certs), or null when disabled. */
  httpsUrl: string | null;
  /** Origin written into discovery documents (EMULATOR_PUBLIC_URL or url). */
  publicUrl: string;
  /** ACS connection string for the HTTP listener: endpoint=http://localhost:<port>/;accesskey=<key>. */
  connectionString: string;
  config: EmulatorConfig;
  /** In-memory state, for in-process tests. */
  state: EmulatorState;
  close(): Promise<void>;
}

const certDir = new URL("./certs/", import.meta.url);
/** PEM of the throwaway self-signed certificate of the HTTPS listener (CN=localhost, 127.0.0.1, ::1). */
export const EMULATOR_CA_CERT = readFileSync(new URL("cert.pem", certDir), "utf8");
const EMULATOR_TLS_KEY = () => readFileSync(new URL("key.pem", certDir), "utf8");

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function harden(server: Server): Server {
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.setTimeout(120_000, (socket) => socket.destroy());
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

/** Binds 127.0.0.1 (required) and ::1 on the same port (best effort). */
async function listenLoopback(
  make: () => Server,
  port: number,
  ipv6: boolean,
): Promise<{ port: number; servers: Server[] }> {
  const v4 = harden(make());
  const actual = await listen(v4, port, "127.0.0.1");
  const servers = [v4];
  if (ipv6) {
    const v6 = harden(make());
    try {
      await listen(v6, actual, "::1");
      servers.push(v6);
    } catch {
      v6.close();
    }
  }
  return { port: actual, servers };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the Entra ID and ACS identity stand-ins on loopback. Port 0 picks free ports (for tests). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = loadConfig(options);
  const state = new EmulatorState(config);
  const keys = await KeyStore.create(config.keyGraceSeconds);
  const acsKeys = await KeyStore.create(0);
  const vercelKeys = await KeyStore.create(0);
  let publicUrl = config.publicUrl ?? "";
  const ctx: Context = { config, state, keys, acsKeys, vercelKeys, publicUrl: () => publicUrl };

  const httpRouter = createRouter(ctx, false);
  const http = await listenLoopback(() => createHttpServer(httpRouter), config.port, config.ipv6);
  const servers = [...http.servers];
  const url = `http://localhost:${http.port}`;
  publicUrl ||= url;

  let httpsUrl: string | null = null;
  if (config.httpsPort !== false) {
    const tls = { key: EMULATOR_TLS_KEY(), cert: EMULATOR_CA_CERT };
    const httpsRouter = createRouter(ctx, true);
    try {
      const https = await listenLoopback(
        () => createHttpsServer(tls, httpsRouter),
        config.httpsPort,
        config.ipv6,
      );
      servers.push(...https.servers);
      httpsUrl = `https://localhost:${https.port}`;
    } catch (err) {
      await Promise.all(servers.map(closeServer));
      throw err;
    }
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    httpsUrl,
    publicUrl,
    connectionString: `endpoint=${url}/;accesskey=${config.acsKey}`,
    config,
    state,
    close: () => {
      closed ??= Promise.all(servers.map(closeServer)).then(() => undefined);
      return closed;
    },
  };
}
