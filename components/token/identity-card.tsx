import { TEAMS_SCOPE_NAMES } from "@/lib/entra/scopes";
import { LocalTime } from "./local-time";

interface IdentityCardProps {
  name: string | null;
  username: string | null;
  tenantId: string;
  objectId: string;
  scopes: string[];
  entraExpiresAt: string;
}

/** Who the portal thinks you are: identity and granted scopes only, no token. */
export function IdentityCard({
  name,
  username,
  tenantId,
  objectId,
  scopes,
  entraExpiresAt,
}: IdentityCardProps) {
  return (
    <section aria-labelledby="identity" className="card">
      <h2 id="identity" className="text-lg font-semibold">
        Signed in as {name ?? username ?? "unknown user"}
      </h2>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="font-medium text-slate-600 dark:text-slate-300">Username</dt>
        <dd data-testid="username">{username ?? "—"}</dd>
        <dt className="font-medium text-slate-600 dark:text-slate-300">Tenant id</dt>
        <dd className="font-mono break-all" data-testid="tenant-id">
          {tenantId}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-300">Teams user id</dt>
        <dd className="font-mono break-all">8:orgid:{objectId}</dd>
        <dt className="font-medium text-slate-600 dark:text-slate-300">Teams permissions</dt>
        <dd>
          <ul className="flex flex-wrap gap-2">
            {TEAMS_SCOPE_NAMES.map((scope) => {
              const granted = scopes.includes(scope);
              return (
                <li
                  key={scope}
                  data-testid={`scope-${scope}`}
                  data-granted={granted}
                  className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${granted ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-50" : "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-50"}`}
                >
                  {granted ? "✓" : "✗"} {scope}
                  <span className="sr-only">{granted ? " granted" : " missing"}</span>
                </li>
              );
            })}
          </ul>
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-300">Entra sign-in valid until</dt>
        <dd data-testid="entra-expires-at" data-value={entraExpiresAt}>
          <LocalTime iso={entraExpiresAt} />{" "}
          <span className="text-slate-500 dark:text-slate-400">(renewed automatically)</span>
        </dd>
      </dl>
    </section>
  );
}
