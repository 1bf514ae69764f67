import type { ErrorView } from "@/lib/errors";

interface ErrorPanelBodyProps {
  error: ErrorView;
  /** The remedy's link, already filled in (lib/remedy-links.ts), or none. */
  link: { href: string; label: string } | null;
  whoActs: string;
  aadsts?: string | undefined;
  headingLevel?: "h2" | "h3" | undefined;
}

/**
 * The panel's markup alone, for error boundaries: they show the catalogue's INTERNAL entry, which has no link, so
 * they need not ship the link builder to every page.
 */
export function ErrorPanelBody({
  error,
  link,
  whoActs,
  aadsts,
  headingLevel: Heading = "h2",
}: ErrorPanelBodyProps) {
  return (
    <section
      role="alert"
      aria-labelledby={`error-${error.code}`}
      data-error-code={error.code}
      className="rounded-xl border border-red-200 bg-red-50 p-5 text-red-950 dark:border-red-900 dark:bg-red-950/40 dark:text-red-50"
    >
      <Heading id={`error-${error.code}`} className="text-lg font-semibold">
        {error.title}
      </Heading>
      {error.detail ? <p className="mt-2 text-sm">{error.detail}</p> : null}
      <dl className="mt-4 grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-semibold">What to do</dt>
        <dd data-testid="remedy">{error.remedy}</dd>
        <dt className="font-semibold">Who acts</dt>
        <dd data-testid="who-acts">{whoActs}</dd>
        {error.tenantId ? (
          <>
            <dt className="font-semibold">Tenant</dt>
            <dd className="font-mono">{error.tenantId}</dd>
          </>
        ) : null}
        <dt className="font-semibold">Error code</dt>
        <dd className="font-mono">
          {error.code}
          {aadsts ? ` (AADSTS${aadsts})` : ""}
          {error.retryAfterSeconds !== undefined ? ` · retry after ${error.retryAfterSeconds} s` : ""}
        </dd>
      </dl>
      {link ? (
        <p className="mt-4">
          <a href={link.href} className="link">
            {link.label}
          </a>
        </p>
      ) : null}
    </section>
  );
}
