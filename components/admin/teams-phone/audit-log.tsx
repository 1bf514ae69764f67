import { LocalTime } from "@/components/token/local-time";
import { PRINCIPAL_TYPE_LABELS } from "@/lib/acs/principal-type";
import type { AuditEntry } from "@/lib/teams-phone/audit";

const ACTION_LABEL: Record<AuditEntry["action"], string> = {
  create: "created",
  replace: "replaced",
  remove: "removed",
};

/** Every change to an assignment: who, when, what. */
export function AuditLog({ entries, shared }: { entries: AuditEntry[]; shared: boolean }) {
  return (
    <section aria-labelledby="audit-title" className="card space-y-3">
      <h2 id="audit-title" className="text-lg font-semibold">
        Audit log
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {shared
          ? "Kept in Redis: shared by every instance and kept across restarts (newest first, last 500)."
          : "Kept in this instance's memory (set REDIS_URL to share it and keep it across restarts); newest first."}
      </p>
      {entries.length === 0 ? (
        <p className="text-sm" data-testid="audit-empty">
          No change recorded yet.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="audit-log">
            <thead>
              <tr>
                <th className="py-1 pr-3">When</th>
                <th className="py-1 pr-3">Who</th>
                <th className="py-1 pr-3">What</th>
                <th className="py-1">Principal (tenant / object id)</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={`${entry.at}-${entry.target.objectId}-${entry.action}`} className="align-top">
                  <td className="py-1 pr-3">
                    <LocalTime iso={entry.at} />
                  </td>
                  <td className="py-1 pr-3">
                    {entry.actor.username ?? entry.actor.name ?? entry.actor.objectId}
                  </td>
                  <td className="py-1 pr-3">
                    {ACTION_LABEL[entry.action]}
                    {entry.principalType ? ` · ${PRINCIPAL_TYPE_LABELS[entry.principalType]}` : ""}
                    {entry.clientIds ? ` · ${entry.clientIds.length} client app(s)` : ""}
                  </td>
                  <td className="py-1 font-mono text-xs">
                    {entry.target.tenantId} / {entry.target.objectId}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
