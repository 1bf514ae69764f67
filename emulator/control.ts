import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { z } from "zod";
import { teamsExtensionTokenStatus } from "./acs/teams-extension";
import type { Context } from "./context";
import { ACS_SCOPES, findUser } from "./data";
import { mintAccessToken } from "./entra/tokens";
import { sendJson } from "./http";
import { REFRESH_LIFETIME_MS } from "./state";
import { mintVercelOidcToken } from "./vercel/oidc";

const faultSchema = z.object({
  kind: z.enum(["429", "500", "503", "delay", "drop"]),
  target: z.enum(["acs", "entra-token", "entra-keys"]).default("acs"),
  count: z.number().int().min(1).max(10_000).default(1),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
});

const configSchema = z
  .strictObject({
    accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
    realSizeTokens: z.boolean().optional(),
  })
  .refine((c) => c.accessTokenLifetimeSeconds !== undefined || c.realSizeTokens !== undefined, {
    message: "give accessTokenLifetimeSeconds and/or realSizeTokens",
  });

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
const roleAssignmentSchema = z.object({
  principalId: guid,
  granted: z.boolean(),
});

const mintSchema = z.object({
  tenantId: guid,
  oid: guid.optional(),
  appId: z.string().min(1),
  scopes: z.array(z.string()).optional(),
  lifetimeSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  notBeforeSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  audience: z.string().optional(),
  /** Tests only: an `iss` that does not match `tenantId` (the portal must refuse it). */
  issuer: z.string().optional(),
  name: z.string().optional(),
  username: z.string().optional(),
  /** Also issue a refresh token for `username` (a user of the data file), as a sign-in with offline_access does. */
  withRefreshToken: z.boolean().optional(),
});

const vercelTokenSchema = z.object({
  team: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  environment: z.enum(["production", "preview", "development"]).optional(),
  issuer: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  audience: z.string().min(1).optional(),
  lifetimeSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  notBeforeSeconds: z.number().int().min(-86_400).max(86_400).optional(),
  signedBy: z.enum(["vercel", "untrusted"]).optional(),
});

function parseJson<T>(res: ServerResponse, schema: z.ZodType<T>, body: Buffer): T | undefined {
  let raw: unknown;
  try {
    raw = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    sendJson(res, 400, { error: "invalid_json", message: "Body must be JSON." });
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    sendJson(res, 400, {
      error: "invalid_request",
      message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    });
    return undefined;
  }
  return parsed.data;
}

export const CONTROL_ROUTES = [
  "GET stats",
  "POST faults",
  "POST reset",
  "POST config",
  "POST rotate-keys",
  "POST mint",
  "POST role-assignments",
  "POST vercel-oidc-token",
  "POST verify-acs-token",
];

const verifySchema = z.object({ token: z.string().min(1) });

/** /_emulator/* test controls (loopback only). Returns false when no control route matches. */
export async function handleControl(
  ctx: Context,
  res: ServerResponse,
  method: string,
  name: string,
  body: Buffer,
): Promise<boolean> {
  const route = `${method} ${name}`;
  switch (route) {
    case "GET stats":
      sendJson(res, 200, ctx.state.stats());
      return true;
    case "POST faults": {
      const fault = parseJson(res, faultSchema, body);
      if (!fault) return true;
      ctx.state.faults.push({
        kind: fault.kind,
        target: fault.target,
        remaining: fault.count,
        retryAfterSeconds: fault.retryAfterSeconds,
        delayMs: fault.delayMs,
      });
      sendJson(res, 200, { faults: ctx.state.stats().pendingFaults });
      return true;
    }
    case "POST reset":
      ctx.state.reset();
      sendJson(res, 200, ctx.state.stats());
      return true;
    case "POST config": {
      const config = parseJson(res, configSchema, body);
      if (!config) return true;
      ctx.state.accessTokenLifetimeSeconds =
        config.accessTokenLifetimeSeconds ?? ctx.state.accessTokenLifetimeSeconds;
      ctx.state.realSizeTokens = config.realSizeTokens ?? ctx.state.realSizeTokens;
      sendJson(res, 200, {
        accessTokenLifetimeSeconds: ctx.state.accessTokenLifetimeSeconds,
        realSizeTokens: ctx.state.realSizeTokens,
      });
      return true;
    }
    case "POST rotate-keys": {
      const previous = ctx.keys.currentKid;
      const kid = await ctx.keys.rotate();
      sendJson(res, 200, { kid, previousKid: previous, graceSeconds: ctx.config.keyGraceSeconds });
      return true;
    }
    case "POST mint": {
      const p = parseJson(res, mintSchema, body);
      if (!p) return true;
      const lifetime = p.lifetimeSeconds ?? ctx.state.accessTokenLifetimeSeconds;
      const accessToken = await mintAccessToken(ctx.keys, {
        tenantId: p.tenantId,
        oid: p.oid ?? crypto.randomUUID(),
        appId: p.appId,
        scopes: p.scopes ?? [...ACS_SCOPES],
        lifetimeSeconds: lifetime,
        notBeforeSeconds: p.notBeforeSeconds,
        audience: p.audience,
        issuer: p.issuer,
        name: p.name,
        username: p.username,
        realSize: ctx.state.realSizeTokens,
      });
      let refreshToken: string | undefined;
      if (p.withRefreshToken) {
        if (!p.username || !findUser(p.username)) {
          sendJson(res, 400, {
            error: "invalid_request",
            message: "withRefreshToken needs a known username.",
          });
          return true;
        }
        refreshToken = `1.emulator.${randomBytes(48).toString("base64url")}`;
        ctx.state.refreshTokens.set(refreshToken, {
          clientId: p.appId,
          username: p.username,
          acsScopes: (p.scopes ?? [...ACS_SCOPES]).map((scope) => scope.split("/").at(-1) ?? scope),
          requestedScope: "openid profile email offline_access",
          oidc: ["openid", "profile", "email", "offline_access"],
          expiresAt: Date.now() + REFRESH_LIFETIME_MS,
          used: false,
        });
      }
      sendJson(res, 200, {
        access_token: accessToken,
        expires_in: lifetime,
        token_type: "Bearer",
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
      });
      return true;
    }
    case "POST role-assignments": {
      const p = parseJson(res, roleAssignmentSchema, body);
      if (!p) return true;
      const id = p.principalId.toLowerCase();
      if (p.granted) ctx.state.acsContributors.add(id);
      else ctx.state.acsContributors.delete(id);
      sendJson(res, 200, { acsContributors: [...ctx.state.acsContributors] });
      return true;
    }
    case "POST vercel-oidc-token": {
      const p = parseJson(res, vercelTokenSchema, body);
      if (!p) return true;
      sendJson(res, 200, { token: await mintVercelOidcToken(ctx, p) });
      return true;
    }
    case "POST verify-acs-token": {
      const p = parseJson(res, verifySchema, body);
      if (!p) return true;
      sendJson(res, 200, await teamsExtensionTokenStatus(ctx, p.token));
      return true;
    }
    default:
      return false;
  }
}
