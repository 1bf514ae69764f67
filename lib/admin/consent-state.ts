import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";
import { GUID_PATTERN } from "@/lib/entra/scopes";

/**
 * The `state` of an admin-consent request: `<payload>.<mac>`, where the payload (base64url JSON) names the tenant,
 * the app and the time, and the mac is an HMAC-SHA256 over it with a key derived from AUTH_SECRET (HKDF).
 * The result page accepts it for one hour and only for the tenant Entra reports back.
 */

export const CONSENT_STATE_MAX_AGE_SECONDS = 3600;
/** Clocks of several instances may disagree a little. */
const FUTURE_SKEW_SECONDS = 300;

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

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "teams-token-portal", "admin-consent-state v1", 32));
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(payload).digest();
}

export function signConsentState(secret: string, payload: ConsentStatePayload): string {
  const body = Buffer.from(
    JSON.stringify({ t: payload.tenant, a: payload.appId, i: payload.issuedAt }),
  ).toString("base64url");
  return `${body}.${mac(keyFrom(secret), body).toString("base64url")}`;
}

export function verifyConsentState(
  secret: string,
  state: string | undefined,
  options: { now?: number; returnedTenantId?: string } = {},
): StateCheck {
  if (!state) return { ok: false, reason: "missing" };
  const match = /^([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!match?.[1] || !match[2]) return { ok: false, reason: "malformed" };
  const [, body, signature] = match;
  // Compare the encoded text: base64url's last character has spare bits that decoding would ignore.
  const expected = Buffer.from(mac(keyFrom(secret), body).toString("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "signature" };

  let decoded: { t?: unknown; a?: unknown; i?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof decoded.t !== "string" || typeof decoded.a !== "string" || typeof decoded.i !== "number") {
    return { ok: false, reason: "malformed" };
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (now - decoded.i > CONSENT_STATE_MAX_AGE_SECONDS || decoded.i - now > FUTURE_SKEW_SECONDS) {
    return { ok: false, reason: "expired" };
  }
  // When the builder knew the tenant id, Entra must report the same one.
  const returned = options.returnedTenantId?.toLowerCase();
  if (returned && GUID_PATTERN.test(decoded.t) && decoded.t !== returned)
    return { ok: false, reason: "tenant" };
  return { ok: true, payload: { tenant: decoded.t, appId: decoded.a, issuedAt: decoded.i } };
}

/** Signs with this deployment's AUTH_SECRET. */
export function createConsentState(
  tenant: string,
  appId: string,
  now = Math.floor(Date.now() / 1000),
): string {
  return signConsentState(getConfig().env.AUTH_SECRET, { tenant, appId, issuedAt: now });
}

export function checkConsentState(state: string | undefined, returnedTenantId?: string): StateCheck {
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
