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
import { requestTeamsPhoneToken, requestTeamsToken } from "./actions";

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
          detail: `Your sign-in was granted ${session.entra.scopes.join(", ") || "no Teams permission"}, without ${missingScopes.join(" and ")}.`,
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
      <TeamsTokenPanel action={requestTeamsToken} appId={getConfig().clientId} />
      {getConfig().env.TEAMS_PHONE_ENABLED ? (
        <>
          {session.entra.scopes.includes(TEAMS_EXTENSION_SCOPE_NAME) ? null : (
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
          <TeamsPhoneTokenPanel action={requestTeamsPhoneToken} appId={getConfig().clientId} />
        </>
      ) : null}
    </div>
  );
}
