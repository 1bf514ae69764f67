import NextAuth, { customFetch, type NextAuthConfig, type Session } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { cache } from "react";
import { getConfig, isTenantAllowed, type PortalConfig } from "@/lib/config";
import { routeToEntra } from "@/lib/entra/endpoints";
import { refreshEntraTokens } from "@/lib/entra/refresh";
import { signInScopes } from "@/lib/entra/scopes";
import { signInErrorPath } from "@/lib/entra/sign-in-errors";
import { log } from "@/lib/log";
import { type PortalJwt, toSessionView } from "@/lib/session/jwt";
import { renewSession, startSession } from "@/lib/session/renew";

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
    // Auth.js builds its URLs from AUTH_URL when set. Without it, the configuration only starts in production when
    // the operator or the platform vouches for X-Forwarded-Host (lib/config/schema.ts), and the request guard
    // pins those headers to the known origin otherwise (proxy.ts): the host Auth.js sees is never a forged one.
    trustHost: true,
    session: { strategy: "jwt", maxAge: config.env.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/", error: "/auth/error" },
    // Auth.js logs errors with their `cause`, which can hold provider responses; log the kind only.
    logger: {
      error: (error) => log.error("auth error", { kind: error.name, detail: error.message.split("\n")[0] }),
      warn: (code) => log.warn("auth warning", { code }),
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
        if (account && profile) return startSession(account, profile, now);
        return renewSession(token as unknown as PortalJwt, {
          now,
          policy: {
            maxAgeSeconds: config.env.SESSION_MAX_AGE_SECONDS,
            refreshMarginSeconds: config.env.ENTRA_REFRESH_MARGIN_SECONDS,
          },
          refresh: refreshEntraTokens,
        });
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
const nextAuth = NextAuth(() => {
  built ??= authConfig(getConfig());
  return built;
});

export const { handlers, signIn, signOut } = nextAuth;

/** Auth.js as a wrapper of the request guard (proxy.ts), where a renewed session cookie can be written. */
export const authGuard = nextAuth.auth;

/**
 * The session of this request, for server components and actions: decrypted and checked once per request however
 * many components ask (React's `cache`, as create-t3-app does), so that the header, the page and the action agree.
 */
export const auth = cache(async (): Promise<Session | null> => nextAuth.auth());
