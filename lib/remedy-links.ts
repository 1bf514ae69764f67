import type { RemedyLink } from "@/lib/errors";

export interface RemedyContext {
  tenantId?: string | undefined;
  appId?: string | undefined;
  code?: string | undefined;
}

/** Where the catalogue's "what next" link points, filled in with the tenant and app at hand. */
export function remedyHref(link: RemedyLink, context: RemedyContext = {}): { href: string; label: string } {
  const query = (values: Record<string, string | undefined>) => {
    const params = new URLSearchParams(
      Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])),
    ).toString();
    return params ? `?${params}` : "";
  };
  switch (link) {
    case "sign-in":
      return { href: "/", label: "Sign in again" };
    case "consent-builder":
      return {
        href: `/consent${query({ tenant: context.tenantId, app: context.appId })}`,
        label: "Open the admin-consent builder",
      };
    case "service-principal":
      return {
        href: `/admin/service-principal${query({ tenant: context.tenantId })}`,
        label: "Show how to create the service principal",
      };
    case "admin-setup":
      return { href: "/admin", label: "Open the set-up guide" };
    case "troubleshoot":
      return {
        href: `/troubleshoot${context.code ? `#${context.code}` : ""}`,
        label: "Look it up in troubleshooting",
      };
    case "retry":
      return { href: "/token", label: "Back to my Teams token" };
  }
}
