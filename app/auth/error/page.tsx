import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { LOGIN_DOMAIN_COOKIE } from "@/app/lib/login-domain";
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
  // Entra does not say which organization refused consent; the domain the person typed is the best hint.
  const domainHint = (await cookies()).get(LOGIN_DOMAIN_COOKIE)?.value;
  const tenant =
    failure.tenantId ?? (domainHint && /^[a-z0-9.-]+\.[a-z]{2,}$/.test(domainHint) ? domainHint : undefined);
  const view = toErrorView(new PortalError(failure.code, tenant ? { tenantId: tenant } : {}));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Sign-in did not succeed</h1>
      <ErrorPanel
        error={view}
        appId={getConfig().clientId}
        {...(failure.aadsts ? { aadsts: failure.aadsts } : {})}
      />
      <p className="text-sm">
        <Link href="/" className="link">
          Back to the start page
        </Link>{" "}
        ·{" "}
        <Link href={`/troubleshoot#${view.code}`} className="link">
          All known errors
        </Link>
      </p>
    </div>
  );
}
