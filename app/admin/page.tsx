import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminRoleGuide } from "@/components/admin/admin-role-guide";
import { SetupSteps } from "@/components/admin/setup-steps";
import { CALLBACK_PATH, CONSENT_RESULT_PATH, portalOrigin } from "@/lib/admin/origin";
import { getConfig, type PortalConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Set-up guide" };

function safeConfig(): PortalConfig | undefined {
  try {
    return getConfig();
  } catch {
    return undefined;
  }
}

/**
 * The public set-up guide: Microsoft's steps with this deployment's public values (client id, redirect URIs).
 * Which settings are set, the ACS endpoint and the live ACS check are diagnostics, for portal admins only
 * (/admin/diagnostics): this page reads no secret's status and calls no one.
 */
export default async function AdminPage() {
  const config = safeConfig();
  const origin = portalOrigin(
    config ?? { env: { AUTH_URL: undefined }, trustForwardedHeaders: false },
    await headers(),
  );

  return (
    <div className="space-y-10">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Set up the Teams Token Portal</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          For the administrator of the app (for example at Contoso). These are the steps of Microsoft's
          quickstart for Teams users, adapted to this web portal and filled in with this deployment's values.
          Portal administrators see what the portal verified itself on the{" "}
          <a href="/admin/diagnostics" className="link">
            diagnostics page
          </a>
          .
        </p>
      </header>

      <section aria-labelledby="diagnostics-title" className="card space-y-3" data-testid="diagnostics-link">
        <h2 id="diagnostics-title" className="text-xl font-semibold">
          This deployment's diagnostics
        </h2>
        <p className="text-sm">
          Which settings are present, the Azure Communication Services endpoint and a live check of the
          portal's ACS credentials are shown to the portal's administrators only: users who sign in with the{" "}
          <code className="code">{config?.admins.role ?? "TokenPortal.Admin"}</code> app role.
        </p>
        <p>
          <a href="/admin/diagnostics" className="btn-primary">
            Open the diagnostics
          </a>
        </p>
      </section>

      <section aria-labelledby="steps-title" className="space-y-4">
        <h2 id="steps-title" className="text-xl font-semibold">
          Steps
        </h2>
        <SetupSteps
          facts={{
            clientId: config?.clientId,
            callbackUrl: `${origin}${CALLBACK_PATH}`,
            consentResultUrl: `${origin}${CONSENT_RESULT_PATH}`,
          }}
        />
      </section>

      <section aria-labelledby="public-client-title" className="card space-y-3">
        <h2 id="public-client-title" className="text-xl font-semibold">
          When does “Allow public client flows” matter?
        </h2>
        <p className="text-sm">
          Not for this portal: it is a confidential web app that signs users in with a client secret, so the
          switch (Authentication → Advanced settings) stays <strong>off</strong> for its registration.
        </p>
        <p className="text-sm">
          It matters only for a <strong>native or desktop app</strong> that signs users in itself (with MSAL,
          without a secret — device code or integrated Windows authentication flows) and then calls the
          portal's <code className="code">POST /api/teams-token</code> with a Bearer token. Such an app has
          its own registration with the <em>Mobile and desktop applications</em> platform, the same two Teams
          permissions, and its client id on the portal's <code className="code">ALLOWED_CLIENT_IDS</code>{" "}
          list. See{" "}
          <a href="/developers" className="link">
            For developers
          </a>
          .
        </p>
      </section>

      <section aria-labelledby="review-title" className="card space-y-3">
        <h2 id="review-title" className="text-xl font-semibold">
          How a customer admin reviews the grant
        </h2>
        <ol className="list-decimal space-y-1 pl-5 text-sm">
          <li>Sign in to the Microsoft Entra admin center as an administrator of the customer tenant.</li>
          <li>
            Go to Identity → Applications → <strong>Enterprise applications</strong> and open the app by its
            name or application id.
          </li>
          <li>
            Open <strong>Permissions</strong>: under <em>Admin consent</em>, Teams.ManageCalls and
            Teams.ManageChats of Azure Communication Services show{" "}
            <strong>“Granted for &lt;directory&gt;”</strong>.
          </li>
          <li>
            To withdraw it, remove the permissions there (or delete the enterprise application); users then
            meet AADSTS65001 again.
          </li>
        </ol>
        <p className="text-sm">
          A user who meets AADSTS650052 instead needs the{" "}
          <a href="/admin/service-principal" className="link">
            Azure Communication Services service principal
          </a>{" "}
          in their tenant.
        </p>
      </section>

      <AdminRoleGuide role={config?.admins.role ?? "TokenPortal.Admin"} />
    </div>
  );
}
