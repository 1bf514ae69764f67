import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConsentForm } from "@/components/consent/consent-form";
import { ConsentUrls } from "@/components/consent/consent-urls";
import { createConsentState } from "@/lib/admin/consent-state";
import { CONSENT_RESULT_PATH, portalOrigin } from "@/lib/admin/origin";
import { resolveTenantInput } from "@/lib/admin/resolve-tenant";
import { getConfig } from "@/lib/config";
import { buildAdminConsentUrls, normaliseAppId } from "@/lib/entra/consent";
import { routeToEntra } from "@/lib/entra/endpoints";
import { clientAddressOf } from "@/lib/http/client-address";
import { boundedQueryParam, type SearchParams } from "@/lib/http/query";
import { outboundGuard } from "@/lib/limits";
import { getStore } from "@/lib/store";

export const metadata: Metadata = { title: "Admin consent" };

export default async function ConsentPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const config = getConfig();
  const tenantParam = boundedQueryParam(query, "tenant", 300);
  const appParam = boundedQueryParam(query, "app", 300);
  const tenantInput = tenantParam.value;
  const appInput = appParam.value;
  // The form always sends the tenant field; a link that names only the app (a remedy link whose tenant is not
  // known) opens the builder ready to fill in, with no error before anyone typed anything.
  const submitted = tenantInput !== undefined;

  const requested = normaliseAppId(appInput ?? config.clientId);
  // Consent links carry the portal's name and trust: build them only for the apps this portal serves,
  // or the builder becomes a consent-phishing tool for any multitenant app.
  const app =
    requested.ok && !config.allowedClientIds.includes(requested.value)
      ? {
          ok: false as const,
          message:
            "This portal builds consent links only for the apps it serves (its own and ALLOWED_CLIENT_IDS).",
        }
      : requested;
  const requestHeaders = await headers();
  // Anonymous: each new domain is one call to Entra, so the per-client limit stands in front of it.
  const resolution = await resolveTenantInput(tenantInput, {
    beforeOutbound: outboundGuard(getStore(), config.env.RATE_LIMIT_CLIENT, clientAddressOf(requestHeaders)),
  });
  const tenantMessage =
    tenantParam.message ??
    (resolution.state === "invalid" ||
    (resolution.state === "unresolved" && resolution.code === "TENANT_NOT_FOUND")
      ? resolution.message
      : resolution.state === "empty" && submitted
        ? "Enter the tenant id (a GUID) or a verified domain of the organization."
        : undefined);

  const tenant =
    resolution.state === "resolved"
      ? resolution.tenantId
      : resolution.state === "unresolved" && resolution.code === "ENTRA_UNAVAILABLE"
        ? resolution.domain
        : undefined;

  let urls: ReturnType<typeof buildAdminConsentUrls> | undefined;
  if (tenant && app.ok) {
    const origin = portalOrigin(config, requestHeaders);
    urls = buildAdminConsentUrls({
      tenant,
      appId: app.value,
      redirectUri: `${origin}${CONSENT_RESULT_PATH}`,
      state: await createConsentState(tenant, app.value),
    });
  }

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Grant admin consent for an organization</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          For an administrator of a customer organization (for example Fabrikam), or for the app's
          administrator preparing a link to send them. Consent lets every user of the organization sign in to
          this portal with the Teams permissions, without a prompt each.
        </p>
      </header>

      <ConsentForm
        tenant={tenantInput}
        app={appInput ?? config.clientId}
        tenantMessage={tenantMessage}
        appMessage={appParam.message ?? (appInput !== undefined && !app.ok ? app.message : undefined)}
      />

      {resolution.state === "unresolved" && resolution.code === "ENTRA_UNAVAILABLE" ? (
        <p role="status" className="text-sm">
          {resolution.message}
        </p>
      ) : null}

      {urls && tenant && app.ok ? (
        <ConsentUrls
          tenant={tenant}
          tenantId={resolution.state === "resolved" ? resolution.tenantId : undefined}
          domain={resolution.state === "resolved" ? resolution.domain : undefined}
          appId={app.value}
          isThisPortal={app.value === config.clientId}
          v1={urls.v1}
          v2={urls.v2}
          openHref={routeToEntra(urls.v2).toString()}
          offline={Boolean(config.emulatorUrl)}
        />
      ) : null}

      <section aria-labelledby="consent-help" className="space-y-2 text-sm">
        <h2 id="consent-help" className="text-lg font-semibold">
          Good to know
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            Who may consent: a Global Administrator, an Application Administrator or a Cloud Application
            Administrator of the organization.
          </li>
          <li>
            If users get AADSTS650052 instead, the organization first needs the{" "}
            <a
              href={
                tenant
                  ? `/admin/service-principal?tenant=${encodeURIComponent(tenant)}`
                  : "/admin/service-principal"
              }
              className="link"
            >
              Azure Communication Services service principal
            </a>
            .
          </li>
          <li>
            Afterwards, review the grant in Enterprise applications → the app → Permissions (“Granted for
            &lt;directory&gt;”). See the{" "}
            <a href="/admin" className="link">
              set-up guide
            </a>
            .
          </li>
        </ul>
      </section>
    </div>
  );
}
