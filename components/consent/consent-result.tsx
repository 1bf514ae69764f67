import { ErrorPanel } from "@/components/error-panel";
import type { ErrorView } from "@/lib/errors";

export type ConsentOutcome =
  | { kind: "none" }
  | { kind: "granted"; tenantId: string; appId: string; isThisPortal: boolean }
  | {
      kind: "failed";
      error: ErrorView;
      aadsts?: string | undefined;
      appId?: string | undefined;
      unverified?: boolean;
    };

/** What happened at Entra's consent page, and what to do next. */
export function ConsentResultView({ outcome }: { outcome: ConsentOutcome }) {
  if (outcome.kind === "none") {
    return (
      <section className="card space-y-3" aria-labelledby="result-none">
        <h2 id="result-none" className="text-xl font-semibold">
          No consent result to show
        </h2>
        <p className="text-sm">
          This page shows what Microsoft Entra ID answered after an administrator reviewed the consent
          request. Build a consent link first.
        </p>
        <p>
          <a href="/consent" className="btn-primary">
            Open the admin-consent builder
          </a>
        </p>
      </section>
    );
  }
  if (outcome.kind === "failed") {
    return (
      <div className="space-y-4">
        <ErrorPanel
          error={outcome.error}
          {...(outcome.error.actor === "customer-admin"
            ? { whoActs: "You, as an administrator of the organization" }
            : {})}
          {...(outcome.appId ? { appId: outcome.appId } : {})}
          {...(outcome.aadsts ? { aadsts: outcome.aadsts } : {})}
        />
        {outcome.unverified ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            This answer did not carry a state from this portal, so it may not come from a link built here.
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <section
      role="status"
      aria-labelledby="result-granted"
      data-testid="consent-granted"
      className="space-y-4 rounded-xl border border-emerald-300 bg-emerald-50 p-5 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-50"
    >
      <h2 id="result-granted" className="text-xl font-semibold">
        Admin consent granted
      </h2>
      <p>
        Users of <span className="font-mono">{outcome.tenantId}</span> can now sign in
        {outcome.isThisPortal ? (
          " to this portal and get their Teams token."
        ) : (
          <>
            {" "}
            to the application <span className="font-mono">{outcome.appId}</span>.
          </>
        )}
      </p>
      <p className="text-sm">
        Users who are already signed in, or were told a Teams permission is missing, sign out and sign in
        again to receive the permissions now granted.
      </p>
      <p className="text-sm">
        To review or withdraw it later: Enterprise applications → the app → Permissions, where both Teams
        permissions show “Granted for &lt;directory&gt;”.
      </p>
      {outcome.isThisPortal ? (
        <p>
          <a href="/" className="btn-primary">
            Sign in
          </a>
        </p>
      ) : null}
    </section>
  );
}
