import type { Metadata } from "next";
import { headers } from "next/headers";
import { requireAdmin } from "@/app/lib/require-admin";
import { AcsRecheck } from "@/components/admin/acs-recheck";
import { type AcsCheckView, SettingsTable, SetupSteps } from "@/components/admin/setup-steps";
import { ErrorPanel } from "@/components/error-panel";
import { InlineCode } from "@/components/inline-code";
import { adminAcsCheck } from "@/lib/admin/admin-acs-check";
import { CALLBACK_PATH, CONSENT_RESULT_PATH, portalOrigin } from "@/lib/admin/origin";
import { missingSettings, settingsStatus } from "@/lib/admin/settings";
import { getConfig } from "@/lib/config";
import { PortalError, toErrorView } from "@/lib/errors";
import { recheckAcs } from "./actions";

export const metadata: Metadata = { title: "Diagnostics" };

/** This deployment's state, for portal admins only: which settings are set, the ACS endpoint, the live check. */
export default async function DiagnosticsPage() {
  const admin = await requireAdmin();
  const config = getConfig();
  const origin = portalOrigin(config, await headers());
  const settings = settingsStatus();
  const missing = missingSettings(settings);
  const check = await adminAcsCheck(admin.objectId, { force: false });
  const acsCheck: AcsCheckView =
    check.kind === "checked"
      ? check.result
      : (check.last ?? { status: "unexpected", summary: "The live ACS check is paused: it ran too often." });
  const limited =
    check.kind === "limited"
      ? toErrorView(new PortalError("RATE_LIMITED", { retryAfterSeconds: check.retryAfterSeconds }))
      : null;
  const shown = settings.filter((s) => s.requirement !== "optional" || s.set);
  const tuning = settings.filter((s) => s.requirement === "optional" && !s.set);

  return (
    <div className="space-y-10" data-testid="admin-diagnostics">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">This deployment's diagnostics</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          For the portal's administrators (signed in as{" "}
          <span data-testid="admin-identity">{admin.username ?? admin.name ?? admin.objectId}</span>). What
          the portal verified itself is marked <em>Done</em> or <em>Not done</em>; the others say{" "}
          <em>Check in the Azure portal</em>. The steps are explained on the{" "}
          <a href="/admin" className="link">
            set-up guide
          </a>
          .
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

      <section aria-labelledby="acs-check-title" className="card space-y-3">
        <h2 id="acs-check-title" className="text-xl font-semibold">
          Live ACS check
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          The portal asks ACS for a Teams token with a deliberately invalid Entra token: the answer shows
          whether ACS is reachable and accepts the portal's credentials. Each check spends one exchange of the
          resource's quota, so checks are limited ({config.env.RATE_LIMIT_ADMIN_CHECK.limit} per admin every{" "}
          {config.env.RATE_LIMIT_ADMIN_CHECK.windowSeconds} s) and a result is reused for 30 s.
        </p>
        {limited ? <ErrorPanel error={limited} headingLevel="h3" /> : null}
        <AcsRecheck action={recheckAcs} />
      </section>

      <section aria-labelledby="steps-title" className="space-y-4">
        <h2 id="steps-title" className="text-xl font-semibold">
          Steps
        </h2>
        <SetupSteps
          facts={{
            clientId: config.clientId,
            callbackUrl: `${origin}${CALLBACK_PATH}`,
            consentResultUrl: `${origin}${CONSENT_RESULT_PATH}`,
            acs: {
              kind: config.acs.kind,
              host: new URL(config.acs.endpoint).host,
              identityClientId: config.env.AZURE_CLIENT_ID,
            },
            acsCheck,
            settings,
            missing,
          }}
        />
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
