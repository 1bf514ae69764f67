import { actorLabel } from "@/lib/actors";
import type { ErrorView } from "@/lib/errors";
import { remedyHref } from "@/lib/remedy-links";

interface ErrorPanelProps {
  error: ErrorView;
  appId?: string;
  aadsts?: string;
  headingLevel?: "h2" | "h3";
  /** Overrides "Who acts" where the reader is known to be that person (e.g. the admin back from consent). */
  whoActs?: string;
}

/** One error, in the words a person needs: what happened, what to do, who does it, and where. */
export function ErrorPanel({ error, appId, aadsts, headingLevel: Heading = "h2", whoActs }: ErrorPanelProps) {
  const link = error.link
    ? remedyHref(error.link, { tenantId: error.tenantId, appId, code: error.code })
    : null;
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
        <dd data-testid="who-acts">{whoActs ?? actorLabel[error.actor]}</dd>
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
