import { decodeJwt } from "jose";
import NextAuth, { customFetch, type NextAuthConfig } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { getConfig, isTenantAllowed, type PortalConfig } from "@/lib/config";
import { routeToEntra } from "@/lib/entra/endpoints";
import { refreshEntraTokens } from "@/lib/entra/refresh";
import { signInScopes } from "@/lib/entra/scopes";
import { signInErrorPath } from "@/lib/entra/sign-in-errors";
import { isPortalError } from "@/lib/errors";
import { identityFromIdToken, type PortalJwt, toSessionView } from "@/lib/session/jwt";

/** The Entra token's own `exp`, so that the Teams token's expiry can be compared to it to the second. */
function expiryOf(accessToken: string | undefined, fallback: number): number {
  try {
    const { exp } = decodeJwt(accessToken ?? "");
    return typeof exp === "number" ? exp : fallback;
  } catch {
    return fallback;
  }
}

function entraProvider(config: PortalConfig) {
  const provider = MicrosoftEntraID({
    clientId: config.clientId,
    clientSecret: config.env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
    issuer: config.issuer,
    authorization: { params: { scope: signInScopes(config.env.TEAMS_PHONE_ENABLED) } },
    checks: ["pkce", "state", "nonce"],
    // The default profile() calls Microsoft Graph with the access token; ours is for ACS, so read the id token only.
    profile: (claims) => ({
      id: String(claims.oid ?? claims.sub),
      name: typeof claims.name === "string" ? claims.name : null,
      email: typeof claims.preferred_username === "string" ? claims.preferred_username : null,
    }),
  });
  const entraFetch = provider[customFetch];
  if (config.emulatorUrl && entraFetch) {
    // Offline only: the issuer strings stay Microsoft's; the calls go to the local stand-in.
    provider[customFetch] = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return entraFetch(routeToEntra(url).toString(), init);
    };
  }
  return provider;
}

/** The Auth.js configuration, built from the validated portal configuration. */
function authConfig(config: PortalConfig): NextAuthConfig {
  return {
    providers: [entraProvider(config)],
    secret: config.env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: config.env.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/", error: "/auth/error" },
    // Auth.js logs errors with their `cause`, which can hold provider responses; log the kind only.
    logger: {
      error: (error) => console.error(`[auth] ${error.name}: ${error.message.split("\n")[0]}`),
      warn: (code) => console.warn(`[auth] warning ${code}`),
      debug: () => {},
    },
    callbacks: {
      signIn({ profile }) {
        const tenantId = typeof profile?.tid === "string" ? profile.tid : "";
        if (!isTenantAllowed(config, tenantId)) return signInErrorPath("TENANT_NOT_ALLOWED", tenantId);
        return true;
      },
      async jwt({ token, account, profile }): Promise<PortalJwt | null> {
        const now = Math.floor(Date.now() / 1000);
        if (account && profile) {
          return {
            ...identityFromIdToken(profile),
            signedInAt: now,
            entra: {
              accessToken: account.access_token ?? "",
              refreshToken: account.refresh_token ?? "",
              expiresAt: expiryOf(account.access_token, account.expires_at ?? now),
              scope: account.scope ?? "",
            },
          };
        }
        const current = token as unknown as PortalJwt;
        const sessionAge = now - current.signedInAt;
        if (!current.entra || !(sessionAge <= config.env.SESSION_MAX_AGE_SECONDS)) return null;
        if (current.entra.expiresAt - config.env.ENTRA_REFRESH_MARGIN_SECONDS > now) return current;
        if (!current.entra.refreshToken) return { ...current, error: "SESSION_EXPIRED" };
        try {
          const refreshed = await refreshEntraTokens(current.entra.refreshToken, current.tenantId);
          return {
            ...current,
            error: undefined,
            entra: {
              accessToken: refreshed.accessToken,
              refreshToken: refreshed.refreshToken,
              expiresAt: expiryOf(refreshed.accessToken, refreshed.expiresAt),
              scope: refreshed.scope ?? current.entra.scope,
            },
          };
        } catch (error) {
          const code = isPortalError(error) ? error.code : "ENTRA_UNAVAILABLE";
          // A transient outage keeps the session while its token is still valid; a refused refresh token ends it.
          return {
            ...current,
            error: code === "SESSION_EXPIRED" || current.entra.expiresAt <= now ? "SESSION_EXPIRED" : code,
          };
        }
      },
      session({ session, token }) {
        return { ...session, ...toSessionView(token as unknown as PortalJwt) };
      },
    },
  };
}

let built: NextAuthConfig | undefined;

/**
 * Lazy initialisation: the configuration is read on the first sign-in, session read or callback, never when this
 * module is imported. So `next build` needs no secrets (container images are built without them); a missing or
 * bad variable still stops the server at start-up (instrumentation.ts) and throws ConfigError on first use.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  built ??= authConfig(getConfig());
  return built;
});
