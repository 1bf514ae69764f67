import type { Metadata } from "next";
import { auth } from "@/auth";
import { SignInButton } from "@/components/auth-buttons";
import { ErrorPanel } from "@/components/error-panel";
import { IdentityCard } from "@/components/token/identity-card";
import { TeamsPhoneTokenPanel } from "@/components/token/teams-phone-token-panel";
import { TeamsTokenPanel } from "@/components/token/teams-token-panel";
import { getConfig } from "@/lib/config";
import { TEAMS_EXTENSION_SCOPE_NAME, TEAMS_SCOPE_NAMES } from "@/lib/entra/scopes";
import { PortalError, toErrorView } from "@/lib/errors";
import { readSessionTokens } from "@/lib/session/entra-token";
import { peekTeamsToken } from "@/lib/teams-token/service";
import type { TeamsTokenState } from "@/lib/teams-token/view";
import { requestTeamsPhoneToken, requestTeamsToken } from "./actions";

/** On load: whether a valid Teams token is held for this user, and until when; never the token itself. */
async function heldToken(): Promise<TeamsTokenState> {
  try {
    const held = await peekTeamsToken((await readSessionTokens()).entra.accessToken);
    return held ? { status: "held", ...held } : { status: "idle" };
  } catch {
    return { status: "idle" };
  }
}

export const metadata: Metadata = { title: "My Teams token" };

export default async function TokenPage() {
  const session = await auth();
  if (!session?.user?.tenantId || !session.entra) {
    return (
      <div className="card max-w-xl space-y-4">
        <h1 className="text-2xl font-bold">My Teams token</h1>
        <p>
          Sign in with your Microsoft 365 work account to get an Azure Communication Services token for Teams.
        </p>
        <SignInButton redirectTo="/token" />
      </div>
    );
  }
  const missingScopes = TEAMS_SCOPE_NAMES.filter((scope) => !session.entra?.scopes.includes(scope));
  const sessionError = session.error ? toErrorView(new PortalError(session.error)) : null;
  const scopeWarning = missingScopes.length
    ? toErrorView(
        new PortalError("ENTRA_TOKEN_MISSING_SCOPE", {
          detail: `Your sign-in was granted ${session.entra.scopes.join(", ") || "no Teams permission"}, without ${missingScopes.join(" and ")}. Either the app registration does not list it, or your organization's consent was given before it was added: a consent covers only the permissions listed when it was given.`,
          tenantId: session.user.tenantId,
        }),
      )
    : null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">My Teams token</h1>
      <IdentityCard
        name={session.user.name ?? null}
        username={session.user.username ?? null}
        tenantId={session.user.tenantId}
        objectId={session.user.objectId ?? ""}
        scopes={session.entra.scopes}
        entraExpiresAt={session.entra.expiresAt}
      />
      {sessionError ? <ErrorPanel error={sessionError} appId={getConfig().clientId} /> : null}
      {scopeWarning ? <ErrorPanel error={scopeWarning} appId={getConfig().clientId} /> : null}
      <TeamsTokenPanel
        action={requestTeamsToken}
        appId={getConfig().clientId}
        initial={scopeWarning ? { status: "idle" } : await heldToken()}
        {...(scopeWarning
          ? {
              blockedReason:
                "No Teams token can be had until the missing permission is granted: see what to do above.",
            }
          : {})}
      />
      {getConfig().env.TEAMS_PHONE_ENABLED ? (
        <>
          {/* One permission problem at a time: the Teams-user one above already says what to consent to. */}
          {scopeWarning || session.entra.scopes.includes(TEAMS_EXTENSION_SCOPE_NAME) ? null : (
            <ErrorPanel
              error={toErrorView(
                new PortalError("TEAMS_PHONE_SCOPE_MISSING", {
                  detail: `Your sign-in was granted ${session.entra.scopes.join(", ") || "no ACS permission"}, without ${TEAMS_EXTENSION_SCOPE_NAME}.`,
                  tenantId: session.user.tenantId,
                }),
              )}
              appId={getConfig().clientId}
            />
          )}
          <TeamsPhoneTokenPanel
            action={requestTeamsPhoneToken}
            appId={getConfig().clientId}
            intro={
              <p className="text-sm text-slate-600 dark:text-slate-300">
                For Teams Phone extensibility: an ACS identity of your own on this portal's Communication
                Services resource, for apps that place and answer Teams Phone calls. It needs an access
                assignment by the resource's administrator.
              </p>
            }
          />
        </>
      ) : null}
    </div>
  );
}
