import { codeForAadsts, type ErrorCode, isErrorCode } from "@/lib/errors";
import { queryParam, type SearchParams } from "@/lib/http/query";
import { GUID_PATTERN } from "./scopes";

export interface SignInFailure {
  code: ErrorCode;
  /** The AADSTS number, when Entra gave one. */
  aadsts?: string;
  /** The tenant the failure concerns, when Entra named it (e.g. AADSTS650052) or the portal knows it. */
  tenantId?: string;
}

/** Auth.js error types that mean the person refused or was refused, rather than a portal fault. */
const AUTHJS_ERRORS: Record<string, ErrorCode> = {
  AccessDenied: "SIGN_IN_FAILED",
  Configuration: "SIGN_IN_FAILED",
  OAuthCallbackError: "SIGN_IN_FAILED",
  Verification: "SIGN_IN_FAILED",
};

/**
 * Reads an OAuth error redirect from Entra (`error`, `error_description` = "AADSTS65001: …").
 * Only the AADSTS number and a GUID tenant are kept: the free text is never reflected to the page.
 */
export function parseEntraError(error: string | null, description: string | null): SignInFailure {
  const aadsts = /AADSTS(\d{4,8})/.exec(description ?? "")?.[1];
  const tenantId = /organization '([0-9a-f-]{36})'/i.exec(description ?? "")?.[1]?.toLowerCase();
  const code =
    (aadsts && codeForAadsts(aadsts)) ||
    (error === "access_denied" ? "AADSTS_CONSENT_DECLINED" : "SIGN_IN_FAILED");
  return {
    code,
    ...(aadsts ? { aadsts } : {}),
    ...(tenantId && GUID_PATTERN.test(tenantId) ? { tenantId } : {}),
  };
}

/** Reads the query of the portal's error page back into a failure; anything unknown becomes SIGN_IN_FAILED. */
export function parseErrorPageQuery(query: SearchParams): SignInFailure {
  const error = queryParam(query, "error", 64) ?? "";
  const aadsts = /^(?:AADSTS)?(\d{4,8})$/.exec(queryParam(query, "aadsts", 16) ?? "")?.[1];
  const tenant = queryParam(query, "tenant", 64)?.toLowerCase();
  const fromAadsts = aadsts ? codeForAadsts(aadsts) : undefined;
  const code: ErrorCode = isErrorCode(error)
    ? error
    : (fromAadsts ?? AUTHJS_ERRORS[error] ?? "SIGN_IN_FAILED");
  return {
    code,
    ...(aadsts ? { aadsts } : {}),
    ...(tenant && GUID_PATTERN.test(tenant) ? { tenantId: tenant } : {}),
  };
}

export function signInErrorPath(code: ErrorCode, tenantId?: string, aadsts?: string): string {
  const query = new URLSearchParams({ error: code });
  if (aadsts) query.set("aadsts", aadsts);
  if (tenantId && GUID_PATTERN.test(tenantId)) query.set("tenant", tenantId.toLowerCase());
  return `/auth/error?${query}`;
}
