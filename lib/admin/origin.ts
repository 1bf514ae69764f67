/**
 * The portal's public origin: AUTH_URL when set, otherwise the request's host (behind a proxy, the forwarded one).
 * Header values are checked so that a forged Host header cannot put arbitrary text into a URL on the page.
 */

const HOST = /^(?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

export interface HeaderSource {
  get(name: string): string | null;
}

export function publicOrigin(authUrl: string | undefined, headers: HeaderSource): string {
  if (authUrl) {
    try {
      return new URL(authUrl).origin;
    } catch {
      // fall through to the request
    }
  }
  const host = (headers.get("x-forwarded-host") ?? headers.get("host") ?? "").split(",")[0]?.trim() ?? "";
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",")[0]?.trim().toLowerCase();
  if (!HOST.test(host)) return "http://localhost:3000";
  const scheme =
    proto === "https" || proto === "http"
      ? proto
      : /^(localhost|127\.|\[::1\])/.test(host)
        ? "http"
        : "https";
  return new URL(`${scheme}://${host}`).origin;
}

export const CALLBACK_PATH = "/api/auth/callback/microsoft-entra-id";
export const CONSENT_RESULT_PATH = "/consent/result";
