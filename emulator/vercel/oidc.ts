import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Context } from "../context";
import { demoData } from "../data";
import { KeyStore } from "../entra/keys";
import { sendJson } from "../http";

/**
 * Stand-in for Vercel's OIDC issuer in team mode (vercel.com/docs/oidc): issuer https://oidc.vercel.com/<team>,
 * discovery and JWKS under /vercel-oidc/<team>/.well-known/…, tokens minted only through the control endpoint.
 * The issuer string stays the real one, as the Entra stand-in keeps login.microsoftonline.com in its tokens.
 */

export const VERCEL_ISSUER_ORIGIN = "https://oidc.vercel.com";
export const vercelIssuer = (team: string) => `${VERCEL_ISSUER_ORIGIN}/${team}`;

export function handleVercelDiscovery(ctx: Context, res: ServerResponse, team: string): void {
  sendJson(res, 200, {
    issuer: vercelIssuer(team),
    jwks_uri: `${ctx.publicUrl()}/vercel-oidc/${encodeURIComponent(team)}/.well-known/jwks`,
    subject_types_supported: ["public"],
    response_types_supported: ["id_token"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "owner", "project", "environment"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid"],
  });
}

export function handleVercelJwks(ctx: Context, res: ServerResponse): void {
  sendJson(res, 200, ctx.vercelKeys.jwks(), { "Cache-Control": "max-age=300" });
}

export interface VercelTokenInput {
  team?: string;
  project?: string;
  environment?: "production" | "preview" | "development";
  /** Overrides: a token that does not match the federated credential. */
  issuer?: string;
  subject?: string;
  audience?: string;
  lifetimeSeconds?: number;
  notBeforeSeconds?: number;
  /** "untrusted": signed with a key the issuer never published. */
  signedBy?: "vercel" | "untrusted";
}

/** A Vercel-style OIDC token (claims as Vercel documents them), valid one hour by default. */
export async function mintVercelOidcToken(ctx: Context, p: VercelTokenInput): Promise<string> {
  const { vercel } = demoData;
  const team = p.team ?? vercel.team;
  const project = p.project ?? vercel.project;
  const environment = p.environment ?? "production";
  const iat = Math.floor(Date.now() / 1000);
  const lifetime = p.lifetimeSeconds ?? 3600;
  const claims = {
    iss: p.issuer ?? vercelIssuer(team),
    sub: p.subject ?? `owner:${team}:project:${project}:environment:${environment}`,
    aud: p.audience ?? `https://vercel.com/${team}`,
    iat: Math.min(iat, iat + lifetime - 60),
    nbf: iat + (p.notBeforeSeconds ?? 0) + Math.min(0, lifetime - 60),
    exp: iat + lifetime,
    jti: randomUUID(),
    owner: team,
    owner_id: vercel.teamId,
    project,
    project_id: vercel.projectId,
    environment,
  };
  const keys = p.signedBy === "untrusted" ? await KeyStore.create(0) : ctx.vercelKeys;
  return keys.sign(claims);
}
