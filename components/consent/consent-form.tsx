export interface ConsentFormProps {
  tenant?: string | undefined;
  app?: string | undefined;
  tenantMessage?: string | undefined;
  appMessage?: string | undefined;
}

/** The builder's form: plain GET to /consent, so it works without JavaScript and the result can be linked. */
export function ConsentForm({ tenant, app, tenantMessage, appMessage }: ConsentFormProps) {
  return (
    <form
      method="get"
      action="/consent"
      className="card space-y-5"
      noValidate
      aria-labelledby="consent-form-title"
    >
      <h2 id="consent-form-title" className="text-xl font-semibold">
        Organization and application
      </h2>
      <div className="space-y-1">
        <label htmlFor="consent-tenant" className="block text-sm font-medium">
          Tenant id or verified domain
        </label>
        <p id="consent-tenant-hint" className="text-xs text-slate-600 dark:text-slate-400">
          The customer organization, e.g. fabrikam.com or its Directory (tenant) ID. A domain is looked up on
          the server.
        </p>
        <input
          id="consent-tenant"
          name="tenant"
          type="text"
          className="field"
          defaultValue={tenant ?? ""}
          placeholder="fabrikam.com"
          autoComplete="off"
          spellCheck={false}
          maxLength={300}
          aria-describedby={
            tenantMessage ? "consent-tenant-hint consent-tenant-error" : "consent-tenant-hint"
          }
          {...(tenantMessage ? { "aria-invalid": true } : {})}
        />
        {tenantMessage ? (
          <p
            id="consent-tenant-error"
            className="text-sm font-medium text-red-700 dark:text-red-300"
            data-testid="tenant-error"
          >
            {tenantMessage}
          </p>
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="consent-app" className="block text-sm font-medium">
          Application (client) id
        </label>
        <p id="consent-app-hint" className="text-xs text-slate-600 dark:text-slate-400">
          Prefilled with this portal's own app; change it to grant consent to another app.
        </p>
        <input
          id="consent-app"
          name="app"
          type="text"
          className="field font-mono"
          defaultValue={app ?? ""}
          autoComplete="off"
          spellCheck={false}
          maxLength={300}
          aria-describedby={appMessage ? "consent-app-hint consent-app-error" : "consent-app-hint"}
          {...(appMessage ? { "aria-invalid": true } : {})}
        />
        {appMessage ? (
          <p
            id="consent-app-error"
            className="text-sm font-medium text-red-700 dark:text-red-300"
            data-testid="app-error"
          >
            {appMessage}
          </p>
        ) : null}
      </div>
      <button type="submit" className="btn-primary">
        Build the consent links
      </button>
    </form>
  );
}
