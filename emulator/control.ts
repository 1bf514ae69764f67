import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { Context } from "./context";
import { ACS_SCOPES } from "./data";
import { mintAccessToken } from "./entra/tokens";
import { sendJson } from "./http";

const faultSchema = z.object({
  kind: z.enum(["429", "500", "503", "delay", "drop"]),
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
];

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
      sendJson(res, 200, { access_token: accessToken, expires_in: lifetime, token_type: "Bearer" });
      return true;
    }
    default:
      return false;
  }
}
