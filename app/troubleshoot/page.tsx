import type { Metadata } from "next";
import { EntryCard } from "@/components/troubleshoot/entry-card";
import { MAX_QUERY, searchCatalogue } from "@/components/troubleshoot/search";
import { TroubleshootSearch } from "@/components/troubleshoot/troubleshoot-search";
import { type Actor, type CatalogueEntry, catalogue, errorCodes } from "@/lib/errors";
import { queryParam, type SearchParams } from "@/lib/http/query";

export const metadata: Metadata = { title: "Troubleshooting" };

const GROUPS: { actor: Actor; title: string; intro: string }[] = [
  { actor: "user", title: "You can fix these yourself", intro: "Usually a fresh sign-in or a short wait." },
  {
    actor: "customer-admin",
    title: "An administrator of your organization acts",
    intro: "Consent, the ACS service principal or a tenant setting in the user's own organization.",
  },
  {
    actor: "app-admin",
    title: "The portal's administrator acts",
    intro: "The app registration, the portal's configuration or the ACS resource.",
  },
];

export default async function TroubleshootPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = queryParam(await searchParams, "q", MAX_QUERY) ?? "";
  const matches = new Set(searchCatalogue(query));

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Troubleshooting</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          Every error this portal knows, from Microsoft Entra ID sign-in (AADSTS codes), Azure Communication
          Services and the portal itself: what it means, what to do, and who does it. Search by code or paste
          the message you saw.
        </p>
      </header>

      <TroubleshootSearch initialQuery={query} initialCount={matches.size} total={errorCodes.length} />

      {GROUPS.map((group) => {
        const codes = errorCodes.filter((code) => catalogue[code].actor === group.actor);
        const anyVisible = codes.some((code) => matches.has(code));
        return (
          <section
            key={group.actor}
            data-group={group.actor}
            hidden={!anyVisible}
            aria-labelledby={`group-${group.actor}`}
            className="space-y-4"
          >
            <div>
              <h2 id={`group-${group.actor}`} className="text-xl font-semibold">
                {group.title}
              </h2>
              <p className="text-sm text-slate-600 dark:text-slate-300">{group.intro}</p>
            </div>
            <div className="grid gap-4">
              {codes.map((code) => (
                <EntryCard
                  key={code}
                  code={code}
                  entry={catalogue[code] as CatalogueEntry}
                  hidden={!matches.has(code)}
                />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}
