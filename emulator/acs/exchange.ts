import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import type { Context } from "../context";
import { ACS_APP_ID, ACS_RESOURCE, ACS_SCOPES, demoData } from "../data";
import { isGuid } from "../http";
import { isBearer, verifyBearer } from "./bearer";
import { ACS_ERR, type AcsError, acsHeaders, SUPPORTED_API_VERSIONS, sendAcsError } from "./errors";
import { injectedAnswer } from "./faults";
import { verifyHmac } from "./hmac";

/** "2025-04-07T03:12:33.0000000+00:00": the recorded expiresOn format (7 fractional digits, +00:00). */
export function formatExpiresOn(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}.0000000+00:00`;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** Checks the Entra token as the service does; returns its claims when it may be exchanged for appId/userId. */
async function validEntraToken(
  ctx: Context,
  token: string,
  appId: string,
  userId: string,
): Promise<JWTPayload | null> {
  const claims = await ctx.keys.verifySignature(token);
  if (!claims) return null;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return null;
  if (typeof claims.nbf === "number" && claims.nbf > now) return null;
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "") : "";
  if (aud !== ACS_RESOURCE && aud !== ACS_APP_ID) return null;
  const tid = typeof claims.tid === "string" ? claims.tid : "";
  if (!isGuid(tid)) return null;
  if (
    claims.iss !== `https://sts.windows.net/${tid}/` &&
    claims.iss !== `https://login.microsoftonline.com/${tid}/v2.0`
  ) {
    return null;
  }
  const scp = typeof claims.scp === "string" ? claims.scp.split(" ") : [];
  if (!ACS_SCOPES.every((s) => scp.includes(s))) return null;
  const appid = typeof claims.appid === "string" ? claims.appid.toLowerCase() : undefined;
  const azp = typeof claims.azp === "string" ? claims.azp.toLowerCase() : undefined;
  if (!appid && !azp) return null;
  if ((appid && appid !== appId.toLowerCase()) || (azp && azp !== appId.toLowerCase())) return null;
  if (typeof claims.oid !== "string" || claims.oid.toLowerCase() !== userId.toLowerCase()) return null;
  return claims;
}

/** POST /teamsUser/:exchangeAccessToken?api-version=… (FACTS §1 and the recorded live sessions). */
export async function handleExchange(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  secure: boolean,
) {
  const startedAt = Date.now();
  let oid: string | null = null;
  const fail = (err: AcsError) => sendAcsError(req, res, startedAt, err);
  try {
    const version = url.searchParams.get("api-version");
    if (!version) return fail(ACS_ERR.missingApiVersion());
    if (!SUPPORTED_API_VERSIONS.includes(version)) return fail(ACS_ERR.unsupportedApiVersion(version));

    const authorized = isBearer(req)
      ? secure && (await verifyBearer(req, ctx.keys, ctx.state.acsContributors))
      : verifyHmac(req, url, body, ctx.config.acsKey);
    if (!authorized) return fail(ACS_ERR.denied());

    const injected = await injectedAnswer(ctx, req);
    if (injected === "dropped") return;
    if (injected) return fail(injected);

    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return fail(ACS_ERR.malformedBody());
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return fail(ACS_ERR.malformedBody());
    const { token, appId, userId } = parsed as Record<string, unknown>;
    for (const v of [token, appId, userId]) {
      if (v !== undefined && v !== null && typeof v !== "string") return fail(ACS_ERR.malformedBody());
    }
    if (isBlank(appId)) return fail(ACS_ERR.required("AppId"));
    if (isBlank(userId)) return fail(ACS_ERR.required("UserId"));
    if (isBlank(token)) return fail(ACS_ERR.invalidToken());
    if (!isGuid(appId as string)) return fail(ACS_ERR.invalidFormat("AppId"));
    if (!isGuid(userId as string)) return fail(ACS_ERR.invalidFormat("UserId"));
    const claims = await validEntraToken(ctx, token as string, appId as string, userId as string);
    if (!claims) return fail(ACS_ERR.invalidToken());

    const exp = claims.exp as number;
    const iat = Math.floor(Date.now() / 1000);
    const acsToken = await ctx.acsKeys.sign({
      skypeid: `orgid:${claims.oid}`,
      scp: 1792,
      csi: String(iat),
      exp,
      rgn: "amer",
      acsScope: "voip,chat",
      resourceId: demoData.acs.resourceId,
      resourceLocation: "unitedstates",
      iat,
    });
    oid = claims.oid as string;
    const text = JSON.stringify({ token: acsToken, expiresOn: formatExpiresOn(exp) });
    res.writeHead(200, {
      ...acsHeaders(req, startedAt, true),
      "Accept-Ranges": "bytes",
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  } finally {
    ctx.state.recordExchange(oid);
  }
}
