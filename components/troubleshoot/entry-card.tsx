import { actorLabel, type CatalogueEntry, type ErrorCode } from "@/lib/errors";
import { remedyHref } from "@/lib/remedy-links";

/** One catalogue entry: its codes, what it means, what to do, who does it, and where to go. */
export function EntryCard({
  code,
  entry,
  hidden = false,
}: {
  code: ErrorCode;
  entry: CatalogueEntry;
  hidden?: boolean;
}) {
  const link = entry.link && entry.link !== "troubleshoot" ? remedyHref(entry.link, { code }) : undefined;
  return (
    <article
      id={code}
      data-entry={code}
      hidden={hidden}
      aria-labelledby={`${code}-title`}
      className="card scroll-mt-6 space-y-3 target:ring-2 target:ring-brand-500"
    >
      <h3 id={`${code}-title`} className="text-lg font-semibold">
        {entry.title}
      </h3>
      <p className="flex flex-wrap gap-2 text-xs">
        <code className="code">{code}</code>
        {(entry.aadsts ?? []).map((n) => (
          <code key={n} className="code">
            AADSTS{n}
          </code>
        ))}
        {(entry.acs ?? []).map((acs) => (
          <code key={acs} className="code">
            ACS {acs}
          </code>
        ))}
        <span className="text-slate-600 dark:text-slate-400">HTTP {entry.status}</span>
      </p>
      <p className="text-sm">{entry.explanation}</p>
      <dl className="grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-semibold">What to do</dt>
        <dd>{entry.remedy}</dd>
        <dt className="font-semibold">Who acts</dt>
        <dd>{actorLabel[entry.actor]}</dd>
      </dl>
      {link || entry.docs ? (
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {link ? (
            <a href={link.href} className="link">
              {link.label}
            </a>
          ) : null}
          {entry.docs ? (
            <a href={entry.docs} className="link" rel="noreferrer">
              Microsoft documentation
            </a>
          ) : null}
        </p>
      ) : null}
    </article>
  );
}
