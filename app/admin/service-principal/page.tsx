import type { Metadata } from "next";
import { ServicePrincipalSteps } from "@/components/admin/service-principal-steps";
import { TenantForm } from "@/components/admin/tenant-form";
import { resolveTenantInput } from "@/lib/admin/resolve-tenant";
import { ACS_APP_ID } from "@/lib/entra/scopes";
import { boundedQueryParam, type SearchParams } from "@/lib/http/query";

export const metadata: Metadata = { title: "Create the ACS service principal" };

export default async function ServicePrincipalPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const tenantParam = boundedQueryParam(await searchParams, "tenant", 300);
  const input = tenantParam.value;
  const resolution = await resolveTenantInput(input);
  const tenantId = resolution.state === "resolved" ? resolution.tenantId : undefined;
  const message =
    tenantParam.message ??
    (resolution.state === "invalid" || resolution.state === "unresolved" ? resolution.message : undefined);

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Add Azure Communication Services to your tenant</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          For an administrator of the user's organization. When sign-in fails with AADSTS650052 or
          AADSTS500011, the tenant has no service principal for Azure Communication Services (application id{" "}
          <code className="code">{ACS_APP_ID}</code>), so Microsoft Entra ID cannot issue tokens for Teams.
          Create it once with one of the commands below, then users sign in again.
        </p>
        {tenantId ? (
          <p className="text-sm" data-testid="sp-tenant">
            Tenant: <code className="code">{tenantId}</code>
            {resolution.state === "resolved" && resolution.domain ? <> ({resolution.domain})</> : null}
          </p>
        ) : null}
      </header>

      <TenantForm
        action="/admin/service-principal"
        defaultValue={input}
        message={message}
        submitLabel={tenantId ? "Change the tenant" : "Fill in the commands"}
      />

      <ServicePrincipalSteps tenantId={tenantId} />

      <p className="text-sm">
        <a href={tenantId ? `/consent?tenant=${tenantId}` : "/consent"} className="link">
          Next: grant admin consent for this app
        </a>{" "}
        ·{" "}
        <a href="/troubleshoot#AADSTS_SERVICE_PRINCIPAL_MISSING" className="link">
          About this error
        </a>
      </p>
    </div>
  );
}
