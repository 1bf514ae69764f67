import "server-only";
import { normaliseTenantInput } from "@/lib/entra/consent";
import { lookupTenantId } from "@/lib/entra/tenant-lookup";
import { catalogue, isPortalError } from "@/lib/errors";
import type { OutboundGuard } from "@/lib/limits";

export type TenantResolution =
  | { state: "empty" }
  | { state: "invalid"; message: string }
  | { state: "resolved"; tenantId: string; domain?: string }
  | { state: "unresolved"; domain: string; code: "TENANT_NOT_FOUND" | "ENTRA_UNAVAILABLE"; message: string };

/** What a person typed as tenant → a tenant id (a domain is looked up), or a message saying why not. */
export async function resolveTenantInput(
  input: string | undefined,
  options: { beforeOutbound?: OutboundGuard } = {},
): Promise<TenantResolution> {
  if (input === undefined || input.trim() === "") return { state: "empty" };
  const parsed = normaliseTenantInput(input);
  if (!parsed.ok) return { state: "invalid", message: parsed.message };
  if (parsed.value.kind === "guid") return { state: "resolved", tenantId: parsed.value.value };
  const domain = parsed.value.value;
  try {
    return { state: "resolved", tenantId: await lookupTenantId(domain, options), domain };
  } catch (error) {
    const code =
      isPortalError(error) && error.code === "TENANT_NOT_FOUND" ? "TENANT_NOT_FOUND" : "ENTRA_UNAVAILABLE";
    // Rate limited: the link is built with the domain itself (Entra accepts it), and the message says why.
    const entry = catalogue[isPortalError(error) && error.code === "RATE_LIMITED" ? "RATE_LIMITED" : code];
    const detail = isPortalError(error) && error.detail ? error.detail : entry.explanation;
    return {
      state: "unresolved",
      domain,
      code,
      message:
        code === "TENANT_NOT_FOUND"
          ? `Microsoft Entra ID knows no tenant with the domain ${domain}. ${entry.remedy}`
          : `${entry.title}: ${detail}`,
    };
  }
}
