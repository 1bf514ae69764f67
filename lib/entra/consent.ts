import type { ErrorCode } from "@/lib/errors";
import { queryParam, type SearchParams } from "@/lib/http/query";
import { ENTRA_AUTHORITY, GUID_PATTERN, TEAMS_SCOPES } from "./scopes";
import { parseEntraError } from "./sign-in-errors";

/**
 * Admin-consent URLs and the checks on what a person types into the builder. Pure: no network, no secrets.
 * Messages never repeat the input, so a hostile value cannot come back through them.
 */

export const CONSENT_AUTHORITY = ENTRA_AUTHORITY;

export type TenantInput = { kind: "guid"; value: string } | { kind: "domain"; value: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The longest input worth looking at; anything longer is refused before any pattern runs. */
const MAX_INPUT = 300;

const BRACED_GUID = /^\{([0-9a-f-]{36})\}$/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

function guidOf(raw: string): string | undefined {
  const unbraced = BRACED_GUID.exec(raw)?.[1] ?? raw;
  return GUID_PATTERN.test(unbraced) ? unbraced.toLowerCase() : undefined;
}

/**
 * A tenant as typed: a GUID (any case, optionally in braces) or a verified domain such as fabrikam.com.
 * Returns the normalised value, or a message that says what is wrong without quoting the input.
 */
export function normaliseTenantInput(input: unknown): Parsed<TenantInput> {
  if (typeof input !== "string" || input.trim() === "") {
    return { ok: false, message: "Enter the tenant id (a GUID) or a verified domain of the organization." };
  }
  if (input.length > MAX_INPUT) {
    return { ok: false, message: "That is too long for a tenant id or a domain (at most 253 characters)." };
  }
  const raw = input.trim();
  const guid = guidOf(raw);
  if (guid) return { ok: true, value: { kind: "guid", value: guid } };

  if (/^[{(]?[0-9a-f]{8}-/i.test(raw)) {
    return {
      ok: false,
      message:
        "This looks like a GUID but is not one: a tenant id has 32 hexadecimal digits in groups of 8-4-4-4-12.",
    };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    return {
      ok: false,
      message: "Enter only the domain (such as fabrikam.com) or the tenant id, not a URL.",
    };
  }
  if (raw.includes("@")) {
    return {
      ok: false,
      message: "Enter the domain after the @ of a work email (such as fabrikam.com), not the whole address.",
    };
  }
  if (MULTI_TENANT.has(raw.toLowerCase())) {
    return {
      ok: false,
      message:
        "Admin consent is granted for one organization: enter its tenant id or domain, not common/organizations.",
    };
  }
  if (/[^a-z0-9.-]/i.test(raw)) {
    return {
      ok: false,
      message:
        "A domain may contain only letters a–z, digits, hyphens and dots, with no spaces; write an international domain in its xn-- form.",
    };
  }
  const domain = raw.toLowerCase().replace(/\.$/, "");
  if (!domain.includes(".")) {
    return {
      ok: false,
      message: "A verified domain contains a dot, such as fabrikam.com or fabrikam.onmicrosoft.com.",
    };
  }
  if (domain.length > 253) {
    return { ok: false, message: "A domain has at most 253 characters." };
  }
  const labels = domain.split(".");
  const tld = labels[labels.length - 1] ?? "";
  if (!labels.every((label) => LABEL.test(label)) || !TLD.test(tld)) {
    return {
      ok: false,
      message:
        "This is not a valid domain: use letters, digits and hyphens between dots (no leading or trailing hyphen), such as fabrikam.com.",
    };
  }
  return { ok: true, value: { kind: "domain", value: domain } };
}

/** An application (client) id: a GUID in any case, optionally in braces. */
export function normaliseAppId(input: unknown): Parsed<string> {
  if (typeof input !== "string" || input.trim() === "") {
    return { ok: false, message: "Enter the application (client) id of the app registration." };
  }
  if (input.length > MAX_INPUT) {
    return { ok: false, message: "That is too long for an application id (a GUID has 36 characters)." };
  }
  const guid = guidOf(input.trim());
  if (guid) return { ok: true, value: guid };
  return {
    ok: false,
    message:
      "An application (client) id is a GUID such as 00000000-0000-0000-0000-000000000000: App registrations → your app → Overview.",
  };
}

export interface ConsentUrlInput {
  /** A normalised tenant: lower-case GUID or verified domain. */
  tenant: string;
  /** A normalised application id. */
  appId: string;
  /** Where the v2 endpoint returns the admin, e.g. https://tokens.contoso.com/consent/result. */
  redirectUri: string;
  state: string;
}

export interface ConsentUrls {
  /** The URL exactly as the Microsoft docs give it. */
  v1: string;
  /** The v2 endpoint with both Teams scopes, returning to the portal with `state`. */
  v2: string;
}

export function buildAdminConsentUrls({ tenant, appId, redirectUri, state }: ConsentUrlInput): ConsentUrls {
  const tenantSegment = encodeURIComponent(tenant);
  const clientId = encodeURIComponent(appId);
  const v1 = `${CONSENT_AUTHORITY}/${tenantSegment}/adminconsent?client_id=${clientId}`;
  const query = [
    ["client_id", appId],
    ["scope", TEAMS_SCOPES.join(" ")],
    ["redirect_uri", redirectUri],
    ["state", state],
  ]
    .map(([name, value]) => `${name}=${encodeURIComponent(value ?? "")}`)
    .join("&");
  const v2 = `${CONSENT_AUTHORITY}/${tenantSegment}/v2.0/adminconsent?${query}`;
  return { v1, v2 };
}

export type ConsentResult =
  | { kind: "none" }
  | { kind: "granted"; tenantId?: string; state?: string }
  | { kind: "failed"; code: ErrorCode; aadsts?: string; tenantId?: string; state?: string };

/**
 * Reads what Entra's admin-consent endpoint sent back: `admin_consent=True&tenant=…` or
 * `error=…&error_description=AADSTS…`. Only the AADSTS number, a GUID tenant and the state are kept.
 */
export function parseConsentResult(query: SearchParams): ConsentResult {
  const tenant = queryParam(query, "tenant", 64)?.trim().toLowerCase();
  const tenantId = tenant && GUID_PATTERN.test(tenant) ? tenant : undefined;
  const state = queryParam(query, "state", 1024);
  const common = { ...(tenantId ? { tenantId } : {}), ...(state ? { state } : {}) };
  const error = queryParam(query, "error", 256);
  if (error !== undefined && error !== "") {
    const failure = parseEntraError(error, queryParam(query, "error_description", 4096) ?? null);
    return {
      kind: "failed",
      code: failure.code,
      ...(failure.aadsts ? { aadsts: failure.aadsts } : {}),
      ...common,
    };
  }
  if (queryParam(query, "admin_consent", 16)?.toLowerCase() === "true") return { kind: "granted", ...common };
  return { kind: "none" };
}
