import { CopyField } from "@/components/admin/copy-field";

export interface ConsentUrlsProps {
  /** The tenant the URLs name: the tenant id, or the domain when it could not be looked up. */
  tenant: string;
  tenantId?: string | undefined;
  domain?: string | undefined;
  appId: string;
  isThisPortal: boolean;
  v1: string;
  v2: string;
  /** Where "Open as admin" goes: the v2 URL (offline: routed to the local stand-in). */
  openHref: string;
  offline: boolean;
}

export function ConsentUrls({
  tenant,
  tenantId,
  domain,
  appId,
  isThisPortal,
  v1,
  v2,
  openHref,
  offline,
}: ConsentUrlsProps) {
  return (
    <section aria-labelledby="consent-urls-title" className="card space-y-5" data-testid="consent-urls">
      <h2 id="consent-urls-title" className="text-xl font-semibold">
        Admin-consent links
      </h2>
      <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-semibold">Tenant id</dt>
        <dd className="font-mono break-all" data-testid="resolved-tenant">
          {tenantId ?? "not resolved"}
          {domain && tenantId ? <span className="font-sans"> (from {domain})</span> : null}
        </dd>
        <dt className="font-semibold">Application id</dt>
        <dd className="font-mono break-all">
          {appId}
          {isThisPortal ? <span className="font-sans"> (this portal)</span> : null}
        </dd>
      </dl>
      {tenantId ? null : (
        <p className="text-sm">
          The domain could not be looked up just now, so the links name <code className="code">{tenant}</code>
          ; Entra accepts a verified domain there too.
        </p>
      )}

      {offline ? (
        <p
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50"
          data-testid="consent-offline-note"
        >
          Offline demo: the two copyable links below are the real ones, for Microsoft's sign-in
          (login.microsoftonline.com), to send to a customer's administrator in production. Only{" "}
          <strong>Open as admin</strong> goes to the local Entra stand-in, where the demo's consent happens.
        </p>
      ) : null}

      <div className="space-y-3">
        <h3 className="text-base font-semibold">Recommended: returns to this portal (v2 endpoint)</h3>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Asks for exactly Teams.ManageCalls and Teams.ManageChats, and sends the administrator back here to
          confirm the result. The link is valid for one hour.
          {isThisPortal
            ? null
            : " For another app, it returns here only if this portal's consent result URL is registered in that app."}
        </p>
        <CopyField label="v2 consent URL" value={v2} testId="consent-v2" />
        <p className="flex flex-wrap items-center gap-3">
          <a href={openHref} className="btn-primary" data-testid="open-as-admin">
            Open as admin
          </a>
          <span className="text-xs text-slate-600 dark:text-slate-400">
            Sign in as a Global, Application or Cloud Application Administrator of the tenant.
            {offline ? " Offline demo: opens the local Entra stand-in, not Microsoft." : ""}
          </span>
        </p>
      </div>

      <div className="space-y-3">
        <h3 className="text-base font-semibold">As in the Microsoft documentation (v1 endpoint)</h3>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Grants every permission the app registration lists. It does not come back with a state, so this
          portal cannot confirm the result; check Enterprise applications afterwards.
        </p>
        <CopyField label="v1 consent URL" value={v1} testId="consent-v1" />
      </div>
    </section>
  );
}
