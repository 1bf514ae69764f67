/**
 * The portal's public origin, the one answer to "where am I?" for redirects, cookies and the same-origin check:
 * AUTH_URL when set; otherwise the forwarded host only when the operator or the platform vouches for it
 * (AUTH_TRUST_HOST=true, Vercel), else the Host header. A forged X-Forwarded-Host never moves it.
 * Header values are checked so that a forged Host header cannot put arbitrary text into a URL on the page.
 */

const HOST = /^(?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;
const LOOPBACK_HOST = /^(localhost|127\.|\[::1\])/;

export interface HeaderSource {
  get(name: string): string | null;
}

export interface OriginSettings {
  authUrl: string | undefined;
  trustForwardedHeaders: boolean;
}

const first = (value: string | null): string => (value ?? "").split(",")[0]?.trim() ?? "";

export function publicOrigin(settings: OriginSettings, headers: HeaderSource): string {
  if (settings.authUrl) {
    try {
      return new URL(settings.authUrl).origin;
    } catch {
      // fall through to the request
    }
  }
  const forwarded = settings.trustForwardedHeaders;
  const host = first((forwarded ? headers.get("x-forwarded-host") : null) ?? headers.get("host"));
  const proto = forwarded ? first(headers.get("x-forwarded-proto")).toLowerCase() : "";
  if (!HOST.test(host)) return "http://localhost:3000";
  const scheme = proto === "https" || proto === "http" ? proto : LOOPBACK_HOST.test(host) ? "http" : "https";
  return new URL(`${scheme}://${host}`).origin;
}

export const CALLBACK_PATH = "/api/auth/callback/microsoft-entra-id";
export const CONSENT_RESULT_PATH = "/consent/result";

/** The public origin under this deployment's configuration. */
export function portalOrigin(
  config: { env: { AUTH_URL?: string | undefined }; trustForwardedHeaders: boolean },
  headers: HeaderSource,
): string {
  return publicOrigin(
    { authUrl: config.env.AUTH_URL, trustForwardedHeaders: config.trustForwardedHeaders },
    headers,
  );
}
