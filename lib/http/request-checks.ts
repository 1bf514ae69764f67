import { z } from "zod";
import { PortalError } from "@/lib/errors";

export const tokenRequestBody = z.strictObject({
  forceRefresh: z.boolean().optional(),
  /** Which ACS token: "teams-user" (default) or "teams-phone" (Teams Phone extensibility, when enabled). */
  kind: z.enum(["teams-user", "teams-phone"]).optional(),
});
export type TokenRequestBody = z.infer<typeof tokenRequestBody>;

const MAX_BODY_BYTES = 4_096;

/** An empty body or a small JSON object; anything else is refused with a specific code. */
export async function readTokenRequestBody(request: Request): Promise<TokenRequestBody> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    throw new PortalError("BAD_REQUEST", { detail: "The request body is too large." });
  }
  const text = await request.text().catch(() => {
    throw new PortalError("BAD_REQUEST", { detail: "The request body could not be read." });
  });
  if (text.length > MAX_BODY_BYTES)
    throw new PortalError("BAD_REQUEST", { detail: "The request body is too large." });
  if (text.trim() === "") return {};
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new PortalError("UNSUPPORTED_MEDIA_TYPE");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PortalError("BAD_REQUEST", { detail: "The request body is not valid JSON." });
  }
  const parsed = tokenRequestBody.safeParse(json);
  if (!parsed.success) {
    throw new PortalError("BAD_REQUEST", {
      detail:
        'The body must be empty or {"forceRefresh": true|false, "kind": "teams-user"|"teams-phone"}, with no other fields.',
    });
  }
  return parsed.data;
}

/**
 * Cookie-authenticated calls must come from the portal's own pages. Browsers always send Origin on POST
 * (and Sec-Fetch-Site); a request without either is not a browser, so it cannot carry a victim's cookie by CSRF.
 */
export function assertSameOrigin(request: Request, portalOrigin: string): void {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (origin !== null && origin !== portalOrigin) throw new PortalError("FORBIDDEN_ORIGIN");
  if (fetchSite !== null && fetchSite !== "same-origin" && fetchSite !== "none")
    throw new PortalError("FORBIDDEN_ORIGIN");
}

export function bearerTokenOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) throw new PortalError("BEARER_MALFORMED");
  return match[1];
}
