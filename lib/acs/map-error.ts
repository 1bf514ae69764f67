import "server-only";
import { isRestError } from "@azure/core-rest-pipeline";
import { boundedRetryAfterSeconds, retryAfterMs } from "@/lib/acs/retry-after";
import type { AcsAuth } from "@/lib/config";
import { codeForAadsts, codeForAcsError, type ErrorCode, isPortalError, PortalError } from "@/lib/errors";

/** ACS throttles per 30 s window: without a Retry-After, that is the honest wait. */
const DEFAULT_THROTTLE_SECONDS = 30;

/** Only identifier-like ACS codes go into `detail`; upstream messages could one day echo the token. */
const safeAcsCode = (code: unknown): string | undefined =>
  typeof code === "string" && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(code) ? code : undefined;

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === "AbortError");
}

/** "Denied" means a wrong key with a connection string, but a missing role assignment for an identity (keyless). */
function deniedCode(authKind: AcsAuth["kind"] | undefined): ErrorCode {
  return authKind === "managed-identity" || authKind === "vercel-oidc"
    ? "ACS_IDENTITY_DENIED"
    : "ACS_AUTH_FAILED";
}

/**
 * The keyless credential failed before ACS was called (@azure/identity's AuthenticationError or
 * CredentialUnavailableError, @vercel/oidc's VercelOidcTokenError). Only the AADSTS number is kept.
 */
function mapCredentialError(error: unknown): PortalError | undefined {
  if (!(error instanceof Error)) return undefined;
  const text = `${error.name} ${error.message}`;
  if (/x-vercel-oidc-token|VercelOidcToken|OIDC token/i.test(text)) {
    return new PortalError("VERCEL_OIDC_TOKEN_MISSING");
  }
  const aadsts = /AADSTS(\d{5,7})/.exec(error.message)?.[1];
  const known = aadsts ? codeForAadsts(aadsts) : undefined;
  if (known === "ACS_WORKLOAD_IDENTITY_REFUSED") {
    return new PortalError(known, { detail: `Microsoft Entra ID answered AADSTS${aadsts}.` });
  }
  if (error.name === "AuthenticationError" || error.name === "CredentialUnavailableError") {
    return new PortalError("ACS_AUTH_FAILED", {
      detail: `The portal's Azure credential failed${aadsts ? ` (AADSTS${aadsts})` : ""}.`,
    });
  }
  return undefined;
}

/**
 * One ACS failure → one catalogue code. The RestError is deliberately NOT kept as `cause`:
 * it carries the request body, i.e. the Entra token, and a logger printing causes would leak it.
 */
export function mapAcsError(error: unknown, signal?: AbortSignal, authKind?: AcsAuth["kind"]): PortalError {
  if (isPortalError(error)) return error;
  if (isAbort(error, signal)) return new PortalError("ACS_TIMEOUT");
  const credentialFailure = mapCredentialError(error);
  if (credentialFailure) return credentialFailure;
  if (!isRestError(error))
    return new PortalError("ACS_UNAVAILABLE", { detail: "The ACS call failed before an answer." });

  const status = error.statusCode;
  const acsCode = safeAcsCode(error.code);
  const detail = status ? `ACS answered ${status}${acsCode ? ` ${acsCode}` : ""}.` : undefined;
  const withDetail = detail ? { detail } : {};

  if (status === undefined)
    return new PortalError("ACS_UNAVAILABLE", { detail: "ACS could not be reached." });
  if (status === 429) {
    const retryAfterSeconds = boundedRetryAfterSeconds(
      retryAfterMs(error.response?.headers),
      DEFAULT_THROTTLE_SECONDS,
    );
    return new PortalError("ACS_THROTTLED", { ...withDetail, retryAfterSeconds });
  }
  const known = acsCode ? codeForAcsError(acsCode) : undefined;
  if (known === "ACS_AUTH_FAILED") return new PortalError(deniedCode(authKind), withDetail);
  if (known) return new PortalError(known, withDetail);
  if (status >= 500 || status === 408) {
    const waitMs = retryAfterMs(error.response?.headers);
    return new PortalError("ACS_UNAVAILABLE", {
      ...withDetail,
      ...(waitMs !== undefined ? { retryAfterSeconds: boundedRetryAfterSeconds(waitMs, 1) } : {}),
    });
  }
  if (status === 401 || status === 403) return new PortalError(deniedCode(authKind), withDetail);
  if (status === 400) return new PortalError("ACS_VALIDATION_ERROR", withDetail);
  return new PortalError("ACS_BAD_RESPONSE", withDetail);
}
