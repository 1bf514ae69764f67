import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { DEMO } from "../../scripts/demo-env";

/** Calls and checks shared by the phases of the resilience suite. */

export interface Answer {
  status: number;
  ms: number;
  body: string;
  headers: Headers;
  /** The catalogue code of a problem+json answer. */
  code?: string;
  /** No answer at all (connection refused, reset, or our own deadline). */
  failed?: string;
}

export async function call(url: string, init: RequestInit = {}, deadlineMs = 15_000): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      redirect: "manual",
      ...init,
      signal: AbortSignal.timeout(deadlineMs),
    });
    const body = await response.text();
    let code: string | undefined;
    if ((response.headers.get("content-type") ?? "").includes("json")) {
      try {
        const parsed = JSON.parse(body) as { code?: unknown };
        if (typeof parsed.code === "string") code = parsed.code;
      } catch {
        /* not JSON after all */
      }
    }
    return {
      status: response.status,
      ms: performance.now() - started,
      body,
      headers: response.headers,
      ...(code ? { code } : {}),
    };
  } catch (error) {
    return {
      status: 0,
      ms: performance.now() - started,
      body: "",
      headers: new Headers(),
      failed: (error as Error).name === "TimeoutError" ? "deadline" : String((error as Error).message),
    };
  }
}

const STACK = [
  /\n\s+at [^\n]*:\d+:\d+/,
  /node_modules[/\\]/,
  /webpack-internal:/,
  /\.next[/\\]server/,
  /TypeError: |ReferenceError: |SyntaxError: /,
];
/** Text only the stand-ins write (ACS and Entra error bodies); the portal answers with its catalogue instead. */
const UPSTREAM = [
  "Denied by the resource provider",
  "Provided access token is not valid",
  "A transient error has occurred",
  "temporarily unavailable because of too many requests",
  '"trace_id"',
  "correlation_id",
];

/** What must never be in an answer: a stack trace, upstream text, an input marker reflected unescaped. */
export function problemsIn(
  answer: Answer,
  markers: string[] = [],
  allow5xx = false,
  /** Pages such as /troubleshoot quote ACS's messages on purpose; API answers never carry them. */
  checkUpstream = true,
): string[] {
  const found: string[] = [];
  if (answer.failed) found.push(`no answer (${answer.failed})`);
  if (answer.status >= 500 && !allow5xx) found.push(`status ${answer.status}`);
  for (const pattern of STACK) if (pattern.test(answer.body)) found.push(`stack-like text ${pattern}`);
  if (checkUpstream)
    for (const text of UPSTREAM) if (answer.body.includes(text)) found.push(`upstream text "${text}"`);
  for (const marker of markers) if (answer.body.includes(marker)) found.push(`reflected ${marker}`);
  return found;
}

export async function mint(
  emulatorUrl: string,
  params: Record<string, unknown> = {},
): Promise<{ access_token: string; refresh_token?: string }> {
  const response = await fetch(`${emulatorUrl}/_emulator/mint`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      tenantId: DEMO.tenants.contoso,
      oid: randomUUID(),
      appId: DEMO.sampleClientId,
      ...params,
    }),
  });
  if (!response.ok) throw new Error(`mint: ${response.status} ${await response.text()}`);
  return (await response.json()) as { access_token: string; refresh_token?: string };
}

export async function control(emulatorUrl: string, name: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${emulatorUrl}/_emulator/${name}`, {
    method: name === "stats" ? "GET" : "POST",
    ...(name === "stats"
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`emulator ${name}: ${response.status} ${await response.text()}`);
  return response.json();
}

export const SESSION_COOKIE = "authjs.session-token";

/** A session cookie as Auth.js writes it (encrypted with `secret`), holding an Entra token from the stand-in. */
export async function sessionCookie(
  emulatorUrl: string,
  options: {
    secret?: string;
    expiresInSeconds?: number;
    oid?: string;
    username?: string;
    withRefreshToken?: boolean;
    signedInSecondsAgo?: number;
  } = {},
): Promise<string> {
  const oid = options.oid ?? randomUUID();
  const minted = await mint(emulatorUrl, {
    oid,
    appId: DEMO.clientId,
    ...(options.username ? { username: options.username } : {}),
    ...(options.withRefreshToken ? { withRefreshToken: true } : {}),
  });
  const now = Math.floor(Date.now() / 1000);
  const value = await encode({
    secret: options.secret ?? DEMO.authSecret,
    salt: SESSION_COOKIE,
    token: {
      sub: oid,
      name: "Load Tester",
      username: options.username ?? `${oid}@contoso.com`,
      tenantId: DEMO.tenants.contoso,
      objectId: oid,
      signedInAt: now - (options.signedInSecondsAgo ?? 0),
      entra: {
        accessToken: minted.access_token,
        refreshToken: minted.refresh_token ?? "1.emulator.none",
        expiresAt: now + (options.expiresInSeconds ?? 3_000),
        scope:
          "https://auth.msft.communication.azure.com/Teams.ManageCalls https://auth.msft.communication.azure.com/Teams.ManageChats",
      },
    },
  });
  return `${SESSION_COOKIE}=${value}`;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
