import { randomUUID } from "node:crypto";
import { DEMO } from "../../scripts/demo-env";
import { type MintParams, mintAccessToken } from "../support/emulator";

/** Helpers for the HTTP-level API specs (no browser): Bearer tokens from the stand-in, calls to the portal. */

/** A signed Entra access token for ACS from the stand-in; default: a fresh Contoso user of the sample client app. */
export const mint = (emulatorUrl: string, params: MintParams = {}): Promise<string> =>
  mintAccessToken(emulatorUrl, {
    tenantId: DEMO.tenants.contoso,
    oid: randomUUID(),
    appId: DEMO.sampleClientId,
    ...params,
  });

export interface ExchangeStats {
  exchanges: { total: number; succeeded: number; failed: number; byUser: Record<string, number> };
}

export async function stats(emulatorUrl: string): Promise<ExchangeStats> {
  return (await fetch(`${emulatorUrl}/_emulator/stats`)).json() as Promise<ExchangeStats>;
}

export async function control(emulatorUrl: string, name: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${emulatorUrl}/_emulator/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${name}: ${response.status} ${await response.text()}`);
}

export interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POST /api/teams-token with a Bearer token, as a client app does (no cookie, no Origin). */
export async function requestTeamsToken(
  portalUrl: string,
  bearer: string,
  body?: { forceRefresh?: boolean },
): Promise<TokenAnswer> {
  const response = await fetch(`${portalUrl}/api/teams-token`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export const oidOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { oid: string }).oid;
