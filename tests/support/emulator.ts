import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import type { EmulatorOptions } from "../../emulator/config";
import { EMULATOR_CA_CERT, startEmulator } from "../../emulator/server";

export interface TestEmulator {
  /** HTTP origin, e.g. http://localhost:41234 (no trailing slash). */
  url: string;
  /** HTTPS origin (trust `caCert`), or null when disabled. */
  httpsUrl: string | null;
  /** endpoint=<url>/;accesskey=<demo key> */
  connectionString: string;
  /** PEM of the emulator's throwaway certificate, for tlsOptions.ca / https.Agent({ ca }). */
  caCert: string;
  /** POST/GET a /_emulator/* control endpoint and return its JSON. */
  control<T = unknown>(name: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface TestEmulatorOptions extends Omit<EmulatorOptions, "port" | "httpsPort"> {
  /** false disables the HTTPS listener; a number listens there (default: a free port). */
  httpsPort?: false | number;
  /** "in-process" (default, fastest) or "child" (runs `emulator/main.ts` with tsx, like `npm run emulator`). */
  mode?: "in-process" | "child";
  /** Extra EMULATOR_* variables for child mode. */
  childEnv?: Record<string, string>;
}

function controlClient(url: string) {
  return async <T>(name: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_emulator/${name}`, {
      method: name === "stats" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: name === "stats" ? undefined : JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`control ${name}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/** Starts the Entra ID / ACS stand-ins on free loopback ports; call close() in afterAll. */
export async function startTestEmulator(opts: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const { mode = "in-process", childEnv, ...options } = opts;
  if (mode === "child") return startChild(childEnv ?? {});
  const e = await startEmulator({
    env: {},
    acsRateLimit: null,
    ...options,
    port: 0,
    httpsPort: options.httpsPort ?? 0,
  });
  return {
    url: e.url,
    httpsUrl: e.httpsUrl,
    connectionString: e.connectionString,
    caCert: EMULATOR_CA_CERT,
    control: controlClient(e.url),
    close: () => e.close(),
  };
}

async function startChild(env: Record<string, string>): Promise<TestEmulator> {
  const root = path.resolve(import.meta.dirname, "../..");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts"], {
    cwd: root,
    env: { ...process.env, EMULATOR_PORT: "0", EMULATOR_HTTPS_PORT: "0", EMULATOR_PUBLIC_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { url, httpsUrl } = await new Promise<{ url: string; httpsUrl: string | null }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`emulator child did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const http = /HTTP listener\s+(http:\/\/localhost:\d+)/.exec(out);
      const https = /HTTPS listener\s+(https:\/\/localhost:\d+|disabled)/.exec(out);
      if (http?.[1] && https?.[1]) {
        clearTimeout(timer);
        resolve({ url: http[1], httpsUrl: https[1] === "disabled" ? null : https[1] });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator child exited with ${code}:\n${out}`));
    });
  });
  const key = env.EMULATOR_ACS_KEY ?? "vGBNELfNd2G05f9hWxtqniD/E99bt3B9V7zqT3US+ic=";
  return {
    url,
    httpsUrl,
    connectionString: `endpoint=${url}/;accesskey=${key}`,
    caCert: EMULATOR_CA_CERT,
    control: controlClient(url),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The claims `/_emulator/mint` accepts (emulator/control.ts); the suites add their own defaults. */
export interface MintParams {
  tenantId?: string;
  oid?: string;
  appId?: string;
  scopes?: string[];
  lifetimeSeconds?: number;
  notBeforeSeconds?: number;
  audience?: string;
  issuer?: string;
}

/** A signed Entra access token for ACS from the stand-in's mint endpoint. */
export async function mintAccessToken(
  emulatorUrl: string,
  params: MintParams & { tenantId: string; appId: string },
): Promise<string> {
  const response = await fetch(`${emulatorUrl}/_emulator/mint`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  if (!response.ok) throw new Error(`mint: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
