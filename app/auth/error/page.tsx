import type { Metadata } from "next";
import { cookies } from "next/headers";
import { LOGIN_DOMAIN_COOKIE } from "@/app/lib/login-domain";
import { OrganizationForm } from "@/components/auth/organization-form";
import { ErrorPanel } from "@/components/error-panel";
import { getConfig } from "@/lib/config";
import { parseErrorPageQuery } from "@/lib/entra/sign-in-errors";
import { PortalError, toErrorView } from "@/lib/errors";

export const metadata: Metadata = { title: "Sign-in problem" };

export default async function SignInErrorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const failure = parseErrorPageQuery(await searchParams);
  // Entra's error redirect does not say which organization refused consent (only AADSTS650052 names it); the
  // domain of the work email typed before sign-in is the hint. Without one, the page asks (OrganizationForm).
  const domainHint = (await cookies()).get(LOGIN_DOMAIN_COOKIE)?.value;
  const tenant =
    failure.tenantId ?? (domainHint && /^[a-z0-9.-]+\.[a-z]{2,}$/.test(domainHint) ? domainHint : undefined);
  const view = toErrorView(new PortalError(failure.code, tenant ? { tenantId: tenant } : {}));
  const adminRemedy = view.link === "consent-builder" || view.link === "service-principal";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Sign-in did not succeed</h1>
      <ErrorPanel
        error={view}
        appId={getConfig().clientId}
        {...(failure.aadsts ? { aadsts: failure.aadsts } : {})}
      />
      {adminRemedy && !tenant ? (
        <OrganizationForm
          action={view.link === "service-principal" ? "/admin/service-principal" : "/consent"}
          appId={view.link === "consent-builder" ? getConfig().clientId : undefined}
        />
      ) : null}
      <p className="text-sm">
        <a href="/" className="link">
          Back to the start page
        </a>{" "}
        ·{" "}
        <a href={`/troubleshoot#${view.code}`} className="link">
          All known errors
        </a>
      </p>
    </div>
  );
}
