import type { ReactNode } from "react";
import { InlineCode } from "@/components/inline-code";
import { TEAMS_SCOPES } from "@/lib/entra/scopes";
import { CopyField } from "./copy-field";
import { type CheckState, StatusBadge } from "./status-badge";

export interface SettingView {
  name: string;
  about: string;
  where: string;
  requirement: "required" | "one-of-acs" | "recommended" | "optional";
  set: boolean;
  valid: boolean;
  problem?: string;
}

export interface AcsCheckView {
  status: "reachable" | "refused" | "unreachable" | "unexpected" | "not-configured";
  summary: string;
}

export interface SetupFacts {
  /** This deployment's client id, or undefined when not configured. */
  clientId: string | undefined;
  callbackUrl: string;
  consentResultUrl: string;
  /**
   * This deployment's diagnostics, for portal admins only: without them (the public guide) every step is one to
   * check in the Azure portal. identityClientId: AZURE_CLIENT_ID of the user-assigned identity, when set.
   */
  acs?:
    | { kind: "access-key" | "managed-identity" | "vercel-oidc"; host: string; identityClientId?: string }
    | undefined;
  acsCheck?: AcsCheckView;
  settings?: readonly SettingView[];
  /** Settings to fix (missing or invalid). */
  missing?: readonly SettingView[];
}

function acsLabel(check: AcsCheckView): string {
  if (check.status === "reachable") return "ACS reachable";
  if (check.status === "refused") return "ACS refuses the credentials";
  if (check.status === "not-configured") return "ACS not configured";
  return "ACS not reachable";
}

function Step({
  number,
  id,
  title,
  state,
  stateLabel,
  children,
}: {
  number: number;
  id: string;
  title: string;
  state: CheckState;
  stateLabel?: string;
  children: ReactNode;
}) {
  return (
    <li className="card space-y-4" aria-labelledby={`${id}-title`} data-step={id}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h3 id={`${id}-title`} className="text-lg font-semibold">
          <span className="mr-2 text-brand-600 dark:text-brand-100">{number}.</span>
          {title}
        </h3>
        <StatusBadge state={state} {...(stateLabel ? { detail: stateLabel } : {})} />
      </div>
      {children}
    </li>
  );
}

function settingState(settings: readonly SettingView[], name: string): CheckState {
  const setting = settings.find((s) => s.name === name);
  return setting?.set && setting.valid ? "done" : "todo";
}

const Muted = ({ children }: { children: ReactNode }) => (
  <p className="text-sm text-slate-600 dark:text-slate-300">{children}</p>
);

/** The app admin's set-up, step by step, with this deployment's values and what the portal verified. */
export function SetupSteps({ facts }: { facts: SetupFacts }) {
  const { settings, acsCheck } = facts;
  const clientState = settings ? settingState(settings, "AUTH_MICROSOFT_ENTRA_ID_ID") : "manual";
  const secretState = settings ? settingState(settings, "AUTH_MICROSOFT_ENTRA_ID_SECRET") : "manual";
  const acsState: CheckState = !acsCheck ? "manual" : acsCheck.status === "reachable" ? "done" : "todo";
  const label = (state: CheckState, done: string, todo: string) =>
    state === "done" ? { stateLabel: done } : state === "todo" ? { stateLabel: todo } : {};
  const consentHref = facts.clientId ? `/consent?app=${encodeURIComponent(facts.clientId)}` : "/consent";

  return (
    <ol className="space-y-5" aria-label="Set-up steps">
      <Step
        number={1}
        id="register"
        title="Register a multitenant application"
        state={clientState}
        {...label(clientState, "Client id configured", "Client id missing")}
      >
        <Muted>
          Azure portal → Microsoft Entra ID → App registrations → New registration. Under{" "}
          <em>Supported account types</em> choose{" "}
          <strong>Accounts in any organizational directory (Multitenant)</strong>, so that users of your
          customers' tenants (for example Fabrikam) can sign in. Copy the <em>Application (client) ID</em>{" "}
          from Overview into <code className="code">AUTH_MICROSOFT_ENTRA_ID_ID</code>.
        </Muted>
        {facts.clientId ? (
          <CopyField label="Client id" value={facts.clientId} testId="client-id" />
        ) : (
          <p className="text-sm font-medium">This deployment has no client id yet.</p>
        )}
      </Step>

      <Step
        number={2}
        id="redirect"
        title="Add this deployment's redirect URIs under the Web platform"
        state="manual"
      >
        <Muted>
          App registrations → your app → Authentication → Add a platform → <strong>Web</strong> (not
          single-page application: the portal redeems the code on the server with a secret). Add both URLs
          exactly as shown:
        </Muted>
        <CopyField label="Sign-in callback URL" value={facts.callbackUrl} testId="callback-url" />
        <CopyField label="Consent result URL" value={facts.consentResultUrl} testId="consent-result-url" />
        <Muted>
          A missing URL gives AADSTS50011; a URL under the wrong platform gives AADSTS9002326. Leave{" "}
          <em>Allow public client flows</em> off unless you read the section below.
        </Muted>
      </Step>

      <Step
        number={3}
        id="secret"
        title="Create a client secret"
        state={secretState}
        {...label(secretState, "Secret configured", "Secret missing")}
      >
        <Muted>
          Certificates &amp; secrets → New client secret. Copy its <em>Value</em> (shown once) into{" "}
          <code className="code">AUTH_MICROSOFT_ENTRA_ID_SECRET</code> and note the expiry date: an expired
          secret stops every sign-in (AADSTS7000222). The portal shows only whether it is set, never the
          value.
        </Muted>
      </Step>

      <Step
        number={4}
        id="permissions"
        title="Add the Azure Communication Services permissions"
        state="manual"
      >
        <Muted>
          API permissions → Add a permission → APIs my organization uses →{" "}
          <strong>Azure Communication Services</strong> → Delegated permissions → select{" "}
          <strong>Teams.ManageCalls</strong> and <strong>Teams.ManageChats</strong>. Both are needed for the
          exchange. Do not mix them with Microsoft Graph scopes in one request: Entra issues a token for one
          API at a time.
        </Muted>
        <ul className="space-y-3">
          {TEAMS_SCOPES.map((scope) => (
            <li key={scope}>
              <CopyField label={scope.endsWith("Calls") ? "Calls scope" : "Chats scope"} value={scope} />
            </li>
          ))}
        </ul>
      </Step>

      <Step
        number={5}
        id="acs"
        title="Connect the Azure Communication Services resource"
        state={acsState}
        {...(acsCheck ? { stateLabel: acsLabel(acsCheck) } : {})}
      >
        <Muted>
          Create a Communication Services resource (or use yours). Then either copy its connection string
          (Settings → Keys) into <code className="code">ACS_CONNECTION_STRING</code>, or — better, without a
          key — set <code className="code">ACS_ENDPOINT</code> and give the portal's managed identity the{" "}
          <strong>Contributor</strong> role on the resource (Access control (IAM) → Add role assignment).
        </Muted>
        {facts.acs ? (
          <dl className="grid gap-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="font-semibold">Endpoint host</dt>
            <dd>
              <code className="code" data-testid="acs-host">
                {facts.acs.host}
              </code>
            </dd>
            <dt className="font-semibold">Authentication</dt>
            <dd>
              {
                {
                  "access-key": "Access key (connection string)",
                  "managed-identity": "Managed identity (RBAC)",
                  "vercel-oidc": "Vercel OIDC token federated to a workload identity (RBAC)",
                }[facts.acs.kind]
              }
            </dd>
          </dl>
        ) : null}
        {acsCheck ? (
          <p className="text-sm" data-testid="acs-check">
            {acsCheck.summary}
          </p>
        ) : null}
        {facts.acs && facts.acs.kind !== "access-key" ? (
          <CopyField
            label="Grant the role (Azure CLI; azd up does it for you)"
            value={`az role assignment create --assignee ${facts.acs.identityClientId ?? "<managed identity client id>"} --role Contributor --scope <ACS resource id>`}
            testId="acs-role-command"
          />
        ) : null}
      </Step>

      <Step number={6} id="consent" title="Grant admin consent" state="manual">
        <Muted>
          In your own tenant: API permissions → <em>Grant admin consent for &lt;your directory&gt;</em>. Each
          customer organization's administrator grants it for theirs through the consent link. Consent may be
          granted by a <strong>Global Administrator</strong>, an <strong>Application Administrator</strong> or
          a <strong>Cloud Application Administrator</strong>.
        </Muted>
        <p>
          <a href={consentHref} className="btn-primary">
            Build an admin-consent link
          </a>
        </p>
      </Step>
    </ol>
  );
}

/** Every setting the portal reads: set or missing, never the value. */
export function SettingsTable({ settings }: { settings: readonly SettingView[] }) {
  const acsSet = settings.some((s) => s.requirement === "one-of-acs" && s.set && s.valid);
  const label = (s: SettingView) =>
    s.set ? (s.valid ? "Set" : "Set but invalid") : s.requirement === "required" ? "Missing" : "Not set";
  // Below 640 px each setting is a stacked block (name, status, description): no sideways scrolling, and
  // variable names are never broken in the middle.
  const cell = "max-sm:block max-sm:py-1";
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Settings of this deployment</caption>
      <thead className="max-sm:sr-only">
        <tr className="border-b border-slate-200 dark:border-slate-700">
          <th scope="col" className="py-2 pr-3">
            Variable
          </th>
          <th scope="col" className="py-2 pr-3">
            Status
          </th>
          <th scope="col" className="py-2">
            What it is and where to find it
          </th>
        </tr>
      </thead>
      <tbody>
        {settings.map((s) => (
          <tr
            key={s.name}
            className="border-b border-slate-100 align-top max-sm:block max-sm:py-2 dark:border-slate-800"
            data-setting={s.name}
          >
            <th
              scope="row"
              className={`py-2 pr-3 font-mono text-xs font-medium sm:whitespace-nowrap ${cell}`}
            >
              {s.name}
            </th>
            <td className={`py-2 pr-3 ${cell}`}>
              <StatusBadge
                state={
                  s.set && s.valid
                    ? "done"
                    : s.requirement === "required" || (s.requirement === "one-of-acs" && !acsSet) || s.set
                      ? "todo"
                      : "manual"
                }
                label={label(s)}
              />
              {s.problem ? (
                <span className="mt-1 block text-xs">
                  <InlineCode text={s.problem} />
                </span>
              ) : null}
            </td>
            <td className={`py-2 ${cell}`}>
              <InlineCode text={s.about} />{" "}
              <span className="text-slate-600 dark:text-slate-400">
                <InlineCode text={s.where} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
