/** A GET form for a tenant id or domain; works without JavaScript. */
export function TenantForm({
  action,
  defaultValue,
  message,
  submitLabel,
}: {
  action: string;
  defaultValue?: string | undefined;
  message?: string | undefined;
  submitLabel: string;
}) {
  return (
    <form method="get" action={action} className="card space-y-3" noValidate>
      <label htmlFor="tenant" className="block text-sm font-medium">
        Tenant id or verified domain
      </label>
      <input
        id="tenant"
        name="tenant"
        type="text"
        className="field"
        defaultValue={defaultValue ?? ""}
        placeholder="fabrikam.com or 00000000-0000-0000-0000-000000000000"
        autoComplete="off"
        spellCheck={false}
        maxLength={300}
        {...(message ? { "aria-invalid": true, "aria-describedby": "tenant-error" } : {})}
      />
      {message ? (
        <p
          id="tenant-error"
          className="text-sm font-medium text-red-700 dark:text-red-300"
          data-testid="tenant-error"
        >
          {message}
        </p>
      ) : null}
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </form>
  );
}
