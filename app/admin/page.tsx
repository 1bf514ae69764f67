import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { type AcsCheckView, SettingsTable, SetupSteps } from "@/components/admin/setup-steps";
import { InlineCode } from "@/components/inline-code";
import { checkAcs } from "@/lib/admin/acs-probe";
import { CALLBACK_PATH, CONSENT_RESULT_PATH, publicOrigin } from "@/lib/admin/origin";
import { missingSettings, settingsStatus } from "@/lib/admin/settings";
import { getConfig, type PortalConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Set-up guide" };

function safeConfig(): PortalConfig | undefined {
  try {
    return getConfig();
  } catch {
    return undefined;
  }
}

export default async function AdminPage() {
  const config = safeConfig();
  const origin = publicOrigin(config?.env.AUTH_URL ?? process.env.AUTH_URL, await headers());
  const settings = settingsStatus();
  const missing = missingSettings(settings);
  const acsCheck: AcsCheckView = config
    ? await checkAcs()
    : { status: "not-configured", summary: "ACS is not configured yet, so the portal cannot check it." };
  const shown = settings.filter((s) => s.requirement !== "optional" || s.set);
  const tuning = settings.filter((s) => s.requirement === "optional" && !s.set);

  return (
    <div className="space-y-10">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Set up the Teams Token Portal</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          For the administrator of the app (for example at Contoso). These are the steps of Microsoft's
          quickstart for Teams users, adapted to this web portal and filled in with this deployment's values.
          Each step the portal can check itself is marked <em>Done</em> or <em>Not done</em>; the others say{" "}
          <em>Check in the Azure portal</em>.
        </p>
      </header>

      <section aria-labelledby="missing-title" className="space-y-3">
        <h2 id="missing-title" className="text-xl font-semibold">
          Configuration
        </h2>
        {missing.length === 0 ? (
          <p
            className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-50"
            data-testid="config-complete"
          >
            Every required setting is present and valid.
          </p>
        ) : (
          <div
            className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-50"
            data-testid="config-missing"
          >
            <p className="font-semibold">Still to configure:</p>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {missing.map((s) => (
                <li key={s.name}>
                  <code className="code">{s.name}</code> <InlineCode text={s.problem ?? "is missing"} /> —{" "}
                  <InlineCode text={s.about} /> <InlineCode text={s.where} />
                </li>
              ))}
            </ul>
          </div>
        )}
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
            acs: config ? { kind: config.acs.kind, host: new URL(config.acs.endpoint).host } : undefined,
            acsCheck,
            settings,
            missing,
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
          <Link href="/developers" className="link">
            For developers
          </Link>
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
          <Link href="/admin/service-principal" className="link">
            Azure Communication Services service principal
          </Link>{" "}
          in their tenant.
        </p>
      </section>

      <section aria-labelledby="settings-title" className="space-y-3">
        <h2 id="settings-title" className="text-xl font-semibold">
          All settings
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Only whether each setting is present is shown; secret values never leave the server.
        </p>
        <SettingsTable settings={shown} />
        <details className="card">
          <summary className="cursor-pointer text-sm font-semibold">
            Optional tuning settings ({tuning.length})
          </summary>
          <div className="mt-3">
            <SettingsTable settings={tuning} />
          </div>
        </details>
      </section>
    </div>
  );
}
