import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context";
import { ACS_APP_ID, type Application, findApplication, findUser, tenantOf } from "../data";
import { sendJson } from "../http";
import { type Grant, REFRESH_LIFETIME_MS } from "../state";
import { handleClientAssertionGrant } from "./client-assertion";
import { resolveAuthority } from "./discovery";
import { type EntraError, ERR, sendEntraJsonError } from "./errors";
import { applyEntraFault } from "./faults";
import { fullAcsScope, parseScopes } from "./scopes";
import { mintAccessToken, mintIdToken, mintRefreshToken } from "./tokens";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** client_secret_basic (Authorization: Basic) or client_secret_post credentials. */
function clientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): { clientId: string; secret?: string } {
  const header = req.headers.authorization ?? "";
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
      try {
        return { clientId: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)) };
      } catch {
        return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
      }
    }
  }
  return { clientId: form.get("client_id") ?? "", secret: form.get("client_secret") ?? undefined };
}

/** POST /{tenant}/oauth2/v2.0/token: authorization_code and refresh_token grants; client_credentials with a client assertion. */
export async function handleToken(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  segment: string,
  form: URLSearchParams,
) {
  const fail = (status: number, err: EntraError) => sendEntraJsonError(res, status, err);
  if (await applyEntraFault(ctx, req, res, "entra-token")) return;
  if (!resolveAuthority(segment)) return fail(400, ERR.tenantNotFound(segment));
  if (form.get("grant_type") === "client_credentials" && form.has("client_assertion")) {
    return handleClientAssertionGrant(ctx, res, segment, form);
  }
  const { clientId, secret } = clientCredentials(req, form);
  if (!clientId) return fail(400, ERR.missingParameter("client_id"));
  const app = findApplication(clientId);
  if (!app) return fail(400, ERR.appNotFound(clientId, segment));
  const grantType = form.get("grant_type") ?? "";
  if (!grantType) return fail(400, ERR.missingParameter("grant_type"));
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return fail(400, ERR.unsupportedGrant(grantType));
  }
  if (app.type === "confidential") {
    if (!secret) return fail(401, ERR.secretMissing());
    if (!safeEqual(secret, app.clientSecret ?? "")) return fail(401, ERR.secretInvalid(app.clientId));
  } else if (secret) {
    return fail(400, ERR.publicClientSecret());
  }
  const scope = form.get("scope");
  if (scope && parseScopes(scope).resources.length > 1) return fail(400, ERR.multipleResources(scope));

  let grant: Grant;
  if (grantType === "authorization_code") {
    const code = form.get("code") ?? "";
    if (!code) return fail(400, ERR.missingParameter("code"));
    const entry = ctx.state.codes.get(code);
    if (!entry) return fail(400, ERR.malformedGrant());
    if (entry.redeemed) return fail(400, ERR.codeRedeemed());
    if (entry.expiresAt < Date.now()) return fail(400, ERR.grantExpired());
    if (entry.clientId !== app.clientId) return fail(400, ERR.clientMismatch());
    const redirectUri = form.get("redirect_uri") ?? "";
    if (!redirectUri) return fail(400, ERR.missingParameter("redirect_uri"));
    if (redirectUri !== entry.redirectUri)
      return fail(400, ERR.replyMismatch(redirectUri, entry.redirectUri));
    const verifier = form.get("code_verifier") ?? "";
    if (!verifier) return fail(400, ERR.missingParameter("code_verifier"));
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (!safeEqual(challenge, entry.codeChallenge)) return fail(400, ERR.pkceMismatch());
    // AADSTS28000 is raised when the code is redeemed, as Entra does.
    if (parseScopes(entry.requestedScope).resources.length > 1) {
      return fail(400, ERR.multipleResources(entry.requestedScope));
    }
    entry.redeemed = true;
    grant = entry;
  } else {
    const token = form.get("refresh_token") ?? "";
    if (!token) return fail(400, ERR.missingParameter("refresh_token"));
    const entry = ctx.state.refreshTokens.get(token);
    if (!entry) return fail(400, ERR.malformedGrant());
    if (entry.used || entry.expiresAt < Date.now()) return fail(400, ERR.grantExpired());
    if (entry.clientId !== app.clientId) return fail(400, ERR.clientMismatch());
    const user = findUser(entry.username);
    if (!user) return fail(400, ERR.malformedGrant());
    const tenant = tenantOf(user);
    if (entry.acsScopes.length > 0 && !tenant.hasAcsServicePrincipal) {
      return fail(400, { ...ERR.noServicePrincipal(ACS_APP_ID, tenant.id), error: "invalid_grant" });
    }
    if (!ctx.state.consents.has(tenant.id)) {
      return fail(400, { ...ERR.consentRequired(app.clientId, app.name), error: "invalid_grant" });
    }
    entry.used = true;
    grant = entry;
  }
  ctx.state.tokens[grantType] += 1;
  sendJson(res, 200, await issueTokens(ctx, app, grant), {
    "Cache-Control": "no-store, no-cache",
    Pragma: "no-cache",
  });
}

async function issueTokens(ctx: Context, app: Application, grant: Grant) {
  const user = findUser(grant.username);
  if (!user) throw new Error(`grant for unknown user ${grant.username}`);
  const lifetime = ctx.state.accessTokenLifetimeSeconds;
  const accessToken = await mintAccessToken(ctx.keys, {
    tenantId: user.tenantId,
    oid: user.oid,
    appId: app.clientId,
    scopes: grant.acsScopes,
    lifetimeSeconds: lifetime,
    name: user.name,
    username: user.username,
    confidentialClient: app.type === "confidential",
    realSize: ctx.state.realSizeTokens,
    appName: app.name,
  });
  const response: Record<string, string | number> = {
    token_type: "Bearer",
    scope: grant.acsScopes.map(fullAcsScope).join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (grant.oidc.includes("offline_access")) {
    const refreshToken = mintRefreshToken(ctx.state.realSizeTokens);
    ctx.state.sweep();
    ctx.state.refreshTokens.set(refreshToken, {
      clientId: grant.clientId,
      username: grant.username,
      acsScopes: grant.acsScopes,
      requestedScope: grant.requestedScope,
      oidc: grant.oidc,
      nonce: undefined,
      expiresAt: Date.now() + REFRESH_LIFETIME_MS,
      used: false,
    });
    response.refresh_token = refreshToken;
  }
  if (grant.oidc.includes("openid")) {
    response.id_token = await mintIdToken(ctx.keys, { user, app, nonce: grant.nonce, lifetimeSeconds: 3600 });
  }
  return response;
}
