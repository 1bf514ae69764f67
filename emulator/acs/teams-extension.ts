import type { IncomingMessage, ServerResponse } from "node:http";
import type { JWTPayload } from "jose";
import type { Context } from "../context";
import {
  ACS_APP_ID,
  ACS_RESOURCE,
  demoData,
  TEAMS_EXTENSION_SCOPE,
  type TeamsExtensionAssignment,
} from "../data";
import { isGuid } from "../http";
import { assignmentKey } from "../state";
import { isBearer, verifyBearer } from "./bearer";
import { ACS_ERR, type AcsError, acsHeaders, sendAcsError } from "./errors";
import { formatExpiresOn } from "./exchange";
import { injectedAnswer } from "./faults";
import { verifyHmac } from "./hmac";

/**
 * Teams Phone extensibility (REST 2025-06-30, FACTS §7): the access assignments of this ACS resource and the
 * exchange of a user's Entra token (TeamsExtension.ManageCalls) for an ACS token of identity 8:acs:….
 */
export const TEAMS_EXTENSION_API_VERSION = "2025-06-30";
const PRINCIPAL_TYPES = ["user", "resourceAccount"] as const;

/** Error answers the spec leaves open (it only names the CommunicationErrorResponse shape): all *(inferred)*. */
export const TPE_ERR = {
  assignmentNotFound: (status: 403 | 404): AcsError => ({
    status,
    code: "AssignmentNotFound",
    message:
      "No Teams Phone access assignment exists for this principal in this Communication Services resource.",
    withVersions: true,
  }),
  clientNotAllowed: (): AcsError => ({
    status: 403,
    code: "ClientIdNotAllowed",
    message: "The client application is not allowed by the principal's Teams Phone access assignment.",
    withVersions: true,
  }),
  validation: (target: string, message: string): AcsError => ({
    status: 400,
    code: "ValidationError",
    message,
    target,
    withVersions: true,
  }),
};

const resourceId = () => demoData.acs.resourceId;
export const teamsExtensionRawId = (tenantId: string, objectId: string) =>
  `8:acs:${resourceId()}_${tenantId}_${objectId}`;

function versionError(url: URL): AcsError | undefined {
  const version = url.searchParams.get("api-version");
  if (!version) return ACS_ERR.missingApiVersion();
  if (version !== TEAMS_EXTENSION_API_VERSION) return ACS_ERR.unsupportedApiVersion(version);
  return undefined;
}

function assignmentBody(a: TeamsExtensionAssignment) {
  return {
    objectId: a.objectId,
    tenantId: a.tenantId,
    principalType: a.principalType,
    ...(a.clientIds ? { clientIds: a.clientIds } : {}),
  };
}

function sendOk(
  req: IncomingMessage,
  res: ServerResponse,
  startedAt: number,
  status: number,
  body?: unknown,
) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...acsHeaders(req, startedAt, true),
    ...(body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" }),
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** GET | PUT | DELETE /access/teamsExtension/tenants/{tenantId}/assignments/{objectId}: HMAC or managed identity. */
export async function handleAssignment(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  secure: boolean,
  tenantId: string,
  objectId: string,
): Promise<void> {
  const startedAt = Date.now();
  const fail = (err: AcsError) => sendAcsError(req, res, startedAt, err);
  const badVersion = versionError(url);
  if (badVersion) return fail(badVersion);
  const authorized = isBearer(req)
    ? secure && (await verifyBearer(req, ctx.keys, ctx.state.acsContributors))
    : verifyHmac(req, url, body, ctx.config.acsKey);
  if (!authorized) return fail(ACS_ERR.denied());
  if (!isGuid(tenantId)) return fail(TPE_ERR.validation("tenantId", "Provided TenantId has invalid format."));
  if (!isGuid(objectId)) return fail(TPE_ERR.validation("objectId", "Provided ObjectId has invalid format."));

  const key = assignmentKey(resourceId(), tenantId, objectId);
  const existing = ctx.state.assignments.get(key);
  if (req.method === "GET") {
    if (!existing) return fail(TPE_ERR.assignmentNotFound(404));
    return sendOk(req, res, startedAt, 200, assignmentBody(existing));
  }
  if (req.method === "DELETE") {
    if (!existing) return fail(TPE_ERR.assignmentNotFound(404));
    ctx.state.assignments.delete(key);
    // Deleting an assignment revokes the principal's Teams Phone tokens (FACTS §7).
    ctx.state.revokedAt.set(key, Date.now());
    return sendOk(req, res, startedAt, 204);
  }
  const parsed = parseObject(body);
  if (!parsed) return fail(TPE_ERR.validation("body", "The request body is not a valid JSON object."));
  const { principalType, clientIds } = parsed;
  if (typeof principalType !== "string" || !(PRINCIPAL_TYPES as readonly string[]).includes(principalType)) {
    return fail(
      TPE_ERR.validation(
        "principalType",
        "PrincipalType: The value must be one of 'user', 'resourceAccount'.",
      ),
    );
  }
  if (
    clientIds !== undefined &&
    (!Array.isArray(clientIds) || !clientIds.every((id) => typeof id === "string" && isGuid(id)))
  ) {
    return fail(TPE_ERR.validation("clientIds", "Provided ClientIds have invalid format."));
  }
  const assignment: TeamsExtensionAssignment = {
    tenantId: tenantId.toLowerCase(),
    objectId: objectId.toLowerCase(),
    principalType: principalType as TeamsExtensionAssignment["principalType"],
    ...(clientIds ? { clientIds: (clientIds as string[]).map((id) => id.toLowerCase()) } : {}),
  };
  ctx.state.assignments.set(key, assignment);
  return sendOk(req, res, startedAt, existing ? 200 : 201, assignmentBody(assignment));
}

/** The user's Entra token as ACS checks it for Teams Phone: signature, times, audience, issuer, scope. */
async function validTeamsExtensionToken(ctx: Context, token: string): Promise<JWTPayload | null> {
  const claims = await ctx.keys.verifySignature(token);
  if (!claims) return null;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return null;
  if (typeof claims.nbf === "number" && claims.nbf > now) return null;
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "") : "";
  if (aud !== ACS_RESOURCE && aud !== ACS_APP_ID) return null;
  const tid = typeof claims.tid === "string" ? claims.tid : "";
  const oid = typeof claims.oid === "string" ? claims.oid : "";
  if (!isGuid(tid) || !isGuid(oid)) return null;
  if (
    claims.iss !== `https://sts.windows.net/${tid}/` &&
    claims.iss !== `https://login.microsoftonline.com/${tid}/v2.0`
  ) {
    return null;
  }
  const scp = typeof claims.scp === "string" ? claims.scp.split(" ") : [];
  if (!scp.includes(TEAMS_EXTENSION_SCOPE)) return null;
  if (typeof claims.appid !== "string" && typeof claims.azp !== "string") return null;
  return claims;
}

/** POST /access/teamsExtension/:exchangeAccessToken?api-version=2025-06-30, body {}, user's Entra token as Bearer. */
export async function handleTeamsExtensionExchange(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  secure: boolean,
): Promise<void> {
  const startedAt = Date.now();
  let succeeded = false;
  const fail = (err: AcsError) => sendAcsError(req, res, startedAt, err);
  try {
    const badVersion = versionError(url);
    if (badVersion) return fail(badVersion);
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    // The service is https only; the SDK refuses to send a Bearer over http anyway.
    if (!bearer || !secure) return fail(ACS_ERR.invalidToken());

    const injected = await injectedAnswer(ctx, req);
    if (injected === "dropped") return;
    if (injected) return fail(injected);

    if (!parseObject(body))
      return fail(TPE_ERR.validation("body", "The request body must be a JSON object."));
    const claims = await validTeamsExtensionToken(ctx, bearer);
    if (!claims) return fail(ACS_ERR.invalidToken());
    const tid = (claims.tid as string).toLowerCase();
    const oid = (claims.oid as string).toLowerCase();
    const assignment = ctx.state.assignments.get(assignmentKey(resourceId(), tid, oid));
    if (!assignment) return fail(TPE_ERR.assignmentNotFound(403));
    const appId = String(claims.appid ?? claims.azp).toLowerCase();
    if (assignment.clientIds?.length && !assignment.clientIds.includes(appId)) {
      return fail(TPE_ERR.clientNotAllowed());
    }

    const exp = claims.exp as number;
    const iat = Math.floor(Date.now() / 1000);
    const rawId = teamsExtensionRawId(tid, oid);
    const acsToken = await ctx.acsKeys.sign({
      skypeid: rawId.slice(2),
      scp: 1024,
      csi: String(iat),
      exp,
      rgn: "amer",
      acsScope: "voip",
      resourceId: resourceId(),
      resourceLocation: "unitedstates",
      iat,
      issuedAtMs: Date.now(),
    });
    succeeded = true;
    return sendOk(req, res, startedAt, 200, {
      identity: { id: rawId },
      accessToken: { token: acsToken, expiresOn: formatExpiresOn(exp) },
    });
  } finally {
    const counters = ctx.state.teamsExtensionExchanges;
    counters.total += 1;
    if (succeeded) counters.succeeded += 1;
    else counters.failed += 1;
  }
}

/**
 * Whether ACS (calling) would still honour a Teams Phone token: signed here, not expired, and its principal's
 * assignment exists and was not deleted after the token was issued. Backs the control endpoint verify-acs-token.
 */
export async function teamsExtensionTokenStatus(
  ctx: Context,
  token: string,
): Promise<{ valid: boolean; reason?: string }> {
  const claims = await ctx.acsKeys.verifySignature(token);
  if (!claims) return { valid: false, reason: "signature" };
  if (typeof claims.exp !== "number" || claims.exp <= Math.floor(Date.now() / 1000)) {
    return { valid: false, reason: "expired" };
  }
  const match = /^acs:([^_]+)_([^_]+)_([^_]+)$/.exec(String(claims.skypeid ?? ""));
  if (!match) return { valid: false, reason: "not a Teams Phone token" };
  const key = assignmentKey(match[1] ?? "", match[2] ?? "", match[3] ?? "");
  const revokedAt = ctx.state.revokedAt.get(key);
  if (revokedAt !== undefined && Number(claims.issuedAtMs) <= revokedAt)
    return { valid: false, reason: "revoked" };
  if (!ctx.state.assignments.has(key)) return { valid: false, reason: "no assignment" };
  return { valid: true };
}
