/**
 * Asks for the organization when the sign-in error did not name it (the account was picked at Microsoft, so the
 * portal never saw the address): a plain GET to the remedy page with the tenant filled in.
 */
export function OrganizationForm({ action, appId }: { action: string; appId?: string | undefined }) {
  return (
    <form method="get" action={action} className="card space-y-3" aria-labelledby="organization-title">
      <h2 id="organization-title" className="text-lg font-semibold">
        Which organization are you in?
      </h2>
      <p id="organization-hint" className="text-sm text-slate-600 dark:text-slate-300">
        Microsoft did not say, because the account was chosen on its sign-in page. Type the part of your work
        email after the @ (for example fabrikam.com), or your Directory (tenant) ID, to prepare the link for
        your administrator.
      </p>
      {appId ? <input type="hidden" name="app" value={appId} /> : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-56 space-y-1">
          <label htmlFor="organization" className="block text-sm font-medium">
            Organization domain or tenant id
          </label>
          <input
            id="organization"
            name="tenant"
            type="text"
            required
            maxLength={253}
            autoComplete="off"
            spellCheck={false}
            placeholder="fabrikam.com"
            aria-describedby="organization-hint"
            className="field"
          />
        </div>
        <button type="submit" className="btn-primary">
          Continue
        </button>
      </div>
    </form>
  );
}
