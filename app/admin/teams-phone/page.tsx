import type { Metadata } from "next";
import { requireAdmin } from "@/app/lib/require-admin";
import { AssignmentForm, type ClientOption } from "@/components/admin/teams-phone/assignment-form";
import { AuditLog } from "@/components/admin/teams-phone/audit-log";
import { RemoveAssignment } from "@/components/admin/teams-phone/remove-assignment";
import { ErrorPanel } from "@/components/error-panel";
import { PRINCIPAL_TYPE_LABELS } from "@/lib/acs/principal-type";
import { getTeamsPhoneAssignments, type TeamsPhoneAssignment } from "@/lib/acs/teams-extension-assignments";
import { getConfig } from "@/lib/config";
import { PortalError, toErrorView } from "@/lib/errors";
import { queryParam, type SearchParams } from "@/lib/http/query";
import { principalSchema } from "@/lib/teams-phone/assignment-form";
import { auditLog } from "@/lib/teams-phone/audit";
import { removeAssignment, saveAssignment } from "./actions";

export const metadata: Metadata = { title: "Teams Phone access" };
export const dynamic = "force-dynamic";

type Lookup =
  | { kind: "none" }
  | { kind: "invalid"; message: string }
  | { kind: "found"; tenantId: string; objectId: string; assignment: TeamsPhoneAssignment | null }
  | { kind: "failed"; tenantId: string; objectId: string; error: ReturnType<typeof toErrorView> };

async function lookUp(tenant: string | undefined, object: string | undefined): Promise<Lookup> {
  if (!tenant && !object) return { kind: "none" };
  const parsed = principalSchema.safeParse({ tenantId: tenant ?? "", objectId: object ?? "" });
  if (!parsed.success) return { kind: "invalid", message: parsed.error.issues[0]?.message ?? "Invalid ids." };
  const { tenantId, objectId } = parsed.data;
  try {
    return {
      kind: "found",
      tenantId,
      objectId,
      assignment: await getTeamsPhoneAssignments().get(tenantId, objectId),
    };
  } catch (error) {
    return { kind: "failed", tenantId, objectId, error: toErrorView(error) };
  }
}

function clientOptions(): ClientOption[] {
  const config = getConfig();
  return config.allowedClientIds.map((id) => ({
    id,
    label: id === config.clientId ? "This portal" : "Allowed client app (ALLOWED_CLIENT_IDS)",
  }));
}

export default async function TeamsPhoneAccessPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const admin = await requireAdmin();
  const config = getConfig();
  const appId = config.clientId;
  if (!config.env.TEAMS_PHONE_ENABLED) {
    return (
      <div className="space-y-6">
        <h1 className="text-3xl font-bold tracking-tight">Teams Phone access</h1>
        <ErrorPanel error={toErrorView(new PortalError("TEAMS_PHONE_DISABLED"))} appId={appId} />
      </div>
    );
  }
  const params = await searchParams;
  const tenant = queryParam(params, "tenant", 100)?.trim();
  const object = queryParam(params, "object", 100)?.trim();
  const [lookup, entries] = await Promise.all([lookUp(tenant, object), auditLog().recent(50)]);

  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">Teams Phone access</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          Who may use this portal's Azure Communication Services resource for Teams Phone extensibility: a
          Teams user or a Teams resource account gets an access assignment naming the client apps it may use.
          Look a principal up by its tenant id and object id (Entra admin center → the user or resource
          account → Object ID).
        </p>
      </header>

      <form method="get" action="/admin/teams-phone" className="card space-y-3" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor="tenant" className="block text-sm font-medium">
              Tenant id
            </label>
            <input
              id="tenant"
              name="tenant"
              className="field font-mono"
              defaultValue={tenant ?? ""}
              placeholder="00000000-0000-0000-0000-000000000000"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="object" className="block text-sm font-medium">
              Object id
            </label>
            <input
              id="object"
              name="object"
              className="field font-mono"
              defaultValue={object ?? ""}
              placeholder="00000000-0000-0000-0000-000000000000"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
            />
          </div>
        </div>
        {lookup.kind === "invalid" ? (
          <p className="text-sm font-medium text-red-700 dark:text-red-300" data-testid="lookup-error">
            {lookup.message}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary">
            Look up
          </button>
          <a
            className="link text-sm"
            href={`/admin/teams-phone?tenant=${admin.tenantId}&object=${admin.objectId}`}
          >
            Myself ({admin.username ?? admin.name ?? admin.objectId})
          </a>
        </div>
      </form>

      {lookup.kind === "failed" ? <ErrorPanel error={lookup.error} appId={appId} /> : null}

      {lookup.kind === "found" ? (
        <>
          <section aria-labelledby="assignment-title" className="card space-y-3" data-testid="assignment">
            <h2 id="assignment-title" className="text-lg font-semibold">
              Assignment of <span className="font-mono text-base">{lookup.objectId}</span>
            </h2>
            {lookup.assignment ? (
              <dl
                className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]"
                data-testid="assignment-details"
                data-principal-type={lookup.assignment.principalType}
              >
                <dt className="font-medium">Tenant id</dt>
                <dd className="font-mono">{lookup.assignment.tenantId}</dd>
                <dt className="font-medium">Principal type</dt>
                <dd>{PRINCIPAL_TYPE_LABELS[lookup.assignment.principalType]}</dd>
                <dt className="font-medium">Allowed client apps</dt>
                <dd className="font-mono" data-testid="assignment-client-ids">
                  {lookup.assignment.clientIds.length
                    ? lookup.assignment.clientIds.join(", ")
                    : "any (none listed)"}
                </dd>
              </dl>
            ) : (
              <p className="text-sm" data-testid="assignment-none">
                No Teams Phone access assignment: this principal cannot get a Teams Phone token.
              </p>
            )}
          </section>
          <AssignmentForm
            key={`${lookup.tenantId}/${lookup.objectId}`}
            action={saveAssignment}
            tenantId={lookup.tenantId}
            objectId={lookup.objectId}
            current={lookup.assignment}
            clientOptions={clientOptions()}
            appId={appId}
          />
          {lookup.assignment ? (
            <RemoveAssignment
              action={removeAssignment}
              tenantId={lookup.tenantId}
              objectId={lookup.objectId}
              appId={appId}
            />
          ) : null}
        </>
      ) : null}

      <AuditLog entries={entries} shared={Boolean(config.env.REDIS_URL)} />
    </div>
  );
}
