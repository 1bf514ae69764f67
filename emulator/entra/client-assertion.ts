import type { ServerResponse } from "node:http";
import { decodeJwt, type JWTPayload } from "jose";
import type { Context } from "../context";
import { COMMUNICATION_RBAC_AUDIENCE, demoData, type FederatedCredential } from "../data";
import { sendJson } from "../http";
import { VERCEL_ISSUER_ORIGIN } from "../vercel/oidc";
import { resolveAuthority } from "./discovery";
import { type EntraError, ERR, sendEntraJsonError } from "./errors";
import { mintManagedIdentityToken } from "./tokens";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CLOCK_SKEW_SECONDS = 300;

/** The resource of a client-credentials scope: "https://communication.azure.com//.default" → its origin. */
function resourceOf(scope: string): string | undefined {
  const match = /^(.+?)\/*\.default$/.exec(scope.trim());
  return match?.[1]?.replace(/\/+$/, "");
}

function matchingCredential(claims: JWTPayload): FederatedCredential | undefined {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  return demoData.workloadIdentity.federatedCredentials.find(
    (fic) =>
      fic.issuer === claims.iss &&
      fic.subject === claims.sub &&
      fic.audiences.some((audience) => audiences.includes(audience)),
  );
}

/**
 * POST /{tenant}/oauth2/v2.0/token with grant_type=client_credentials and a client assertion (workload identity
 * federation): the assertion must match a federated credential of the workload identity (issuer, subject,
 * audience), carry a signature by the issuer's published keys and be inside its time range; the answer is an
 * app-only token of the identity for the requested resource, as the managed-identity endpoint gives.
 */
export async function handleClientAssertionGrant(
  ctx: Context,
  res: ServerResponse,
  segment: string,
  form: URLSearchParams,
): Promise<void> {
  const fail = (status: number, err: EntraError) => sendEntraJsonError(res, status, err);
  const identity = demoData.workloadIdentity;
  const clientId = (form.get("client_id") ?? "").trim().toLowerCase();
  if (!clientId) return fail(400, ERR.missingParameter("client_id"));
  const authority = resolveAuthority(segment);
  if (clientId !== identity.clientId || authority?.tid !== identity.tenantId) {
    return fail(400, ERR.appNotFound(clientId, segment));
  }
  if (form.get("client_secret")) return fail(401, ERR.secretInvalid(clientId));
  const assertionType = form.get("client_assertion_type") ?? "";
  const assertion = form.get("client_assertion") ?? "";
  if (!assertion) return fail(401, ERR.secretMissing());
  if (assertionType !== JWT_BEARER) return fail(400, ERR.invalidAssertionType(assertionType));
  const scope = form.get("scope") ?? "";
  if (!scope) return fail(400, ERR.missingParameter("scope"));
  const resource = resourceOf(scope);
  if (resource !== COMMUNICATION_RBAC_AUDIENCE) return fail(400, ERR.invalidScope(scope));

  let claims: JWTPayload;
  try {
    claims = decodeJwt(assertion);
  } catch {
    return fail(400, ERR.invalidJwt("The token is not a JWT."));
  }
  const credential = matchingCredential(claims);
  if (!credential) return fail(400, ERR.noFederatedIdentity(claims));
  // The issuer's keys: the Vercel issuer stand-in's JWKS (Entra would fetch {issuer}/.well-known/openid-configuration).
  const verified = credential.issuer.startsWith(`${VERCEL_ISSUER_ORIGIN}/`)
    ? await ctx.vercelKeys.verifySignature(assertion)
    : null;
  if (!verified)
    return fail(400, ERR.invalidJwt("The signature could not be validated with the issuer's keys."));
  const now = Math.floor(Date.now() / 1000);
  const exp = typeof claims.exp === "number" ? claims.exp : 0;
  const nbf = typeof claims.nbf === "number" ? claims.nbf : 0;
  if (exp + CLOCK_SKEW_SECONDS <= now || nbf - CLOCK_SKEW_SECONDS > now) {
    return fail(400, ERR.assertionTimeRange(now, nbf, exp));
  }

  const lifetime = ctx.state.accessTokenLifetimeSeconds;
  const accessToken = await mintManagedIdentityToken(ctx.keys, {
    tenantId: identity.tenantId,
    oid: identity.oid,
    clientId: identity.clientId,
    audience: resource,
    lifetimeSeconds: lifetime,
  });
  ctx.state.tokens.client_credentials += 1;
  sendJson(
    res,
    200,
    { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
    { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" },
  );
}
