import "server-only";
import { hkdfSync } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { GUID_PATTERN } from "@/lib/entra/scopes";

/**
 * The `state` of an admin-consent request: a compact JWS (HS256, by jose) naming the tenant and the app, with
 * `iat` and `exp`, keyed by HKDF(AUTH_SECRET). The result page accepts it for one hour and only for the tenant
 * Entra reports back.
 */

export const CONSENT_STATE_MAX_AGE_SECONDS = 3600;
/** Clocks of several instances may disagree a little. */
const FUTURE_SKEW_SECONDS = 300;
const AUDIENCE = "admin-consent-state";

export interface ConsentStatePayload {
  /** Tenant as sent: a lower-case GUID, or a domain when it could not be resolved. */
  tenant: string;
  appId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

export type StateCheck =
  | { ok: true; payload: ConsentStatePayload }
  | { ok: false; reason: "missing" | "malformed" | "signature" | "expired" | "tenant" };

const claimsSchema = z.object({
  t: z.string().min(1).max(300),
  a: z.string().min(1).max(300),
  iat: z.number(),
});

function keyFrom(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "teams-token-portal", "admin-consent-state v2", 32));
}

export function signConsentState(secret: string, payload: ConsentStatePayload): Promise<string> {
  return new SignJWT({ t: payload.tenant, a: payload.appId })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(AUDIENCE)
    .setIssuedAt(payload.issuedAt)
    .setExpirationTime(payload.issuedAt + CONSENT_STATE_MAX_AGE_SECONDS)
    .sign(keyFrom(secret));
}

/** base64url leaves spare bits in a last character; only the canonical spelling of the signature is accepted. */
function canonicalSignature(state: string): boolean {
  const signature = state.slice(state.lastIndexOf(".") + 1);
  return Buffer.from(signature, "base64url").toString("base64url") === signature;
}

export async function verifyConsentState(
  secret: string,
  state: string | undefined,
  options: { now?: number; returnedTenantId?: string } = {},
): Promise<StateCheck> {
  if (!state) return { ok: false, reason: "missing" };
  if (state.length > 2_000 || !/^[\w-]+\.[\w-]+\.[\w-]{43}$/.test(state))
    return { ok: false, reason: "malformed" };
  try {
    if (decodeProtectedHeader(state).alg !== "HS256") return { ok: false, reason: "malformed" };
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!canonicalSignature(state)) return { ok: false, reason: "signature" };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  let claims: unknown;
  try {
    ({ payload: claims } = await jwtVerify(state, keyFrom(secret), {
      algorithms: ["HS256"],
      audience: AUDIENCE,
      currentDate: new Date(now * 1000),
      requiredClaims: ["iat", "exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: "signature" };
    if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "malformed" };
  }
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const { t: tenant, a: appId, iat: issuedAt } = parsed.data;
  if (issuedAt - now > FUTURE_SKEW_SECONDS) return { ok: false, reason: "expired" };
  // When the builder knew the tenant id, Entra must report the same one.
  const returned = options.returnedTenantId?.toLowerCase();
  if (returned && GUID_PATTERN.test(tenant) && tenant !== returned) return { ok: false, reason: "tenant" };
  return { ok: true, payload: { tenant, appId, issuedAt } };
}

/** Signs with this deployment's AUTH_SECRET. */
export function createConsentState(
  tenant: string,
  appId: string,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return signConsentState(getConfig().env.AUTH_SECRET, { tenant, appId, issuedAt: now });
}

export function checkConsentState(state: string | undefined, returnedTenantId?: string): Promise<StateCheck> {
  return verifyConsentState(getConfig().env.AUTH_SECRET, state, returnedTenantId ? { returnedTenantId } : {});
}

export const stateProblem: Record<Exclude<StateCheck, { ok: true }>["reason"], string> = {
  missing:
    "The answer carried no state. That happens with the documentation's URL (it has none) or a link typed by hand, so this page cannot confirm the result: check Enterprise applications, or sign in to test.",
  malformed: "The state in the answer is not one this portal issued.",
  signature: "The state in the answer was not signed by this portal.",
  expired: "The consent link is older than one hour. Build a fresh one.",
  tenant: "Microsoft Entra ID reported another tenant than the one the link was built for.",
};
