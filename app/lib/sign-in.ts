"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { signIn } from "@/auth";
import { getConfig } from "@/lib/config";
import { safeReturnPath } from "@/lib/http/return-path";
import { LOGIN_DOMAIN_COOKIE } from "./login-domain";

const hint = z.email().max(254);

/**
 * Starts sign-in, optionally with the work email as `login_hint`. Its domain is kept (not secret) so that, if
 * Entra refuses the sign-in for the organization, the error page can prefill the consent builder with it.
 */
export async function signInWithHint(formData: FormData) {
  const parsed = hint.safeParse(String(formData.get("email") ?? "").trim());
  const jar = await cookies();
  if (parsed.success) {
    jar.set(LOGIN_DOMAIN_COOKIE, parsed.data.split("@")[1]?.toLowerCase() ?? "", {
      httpOnly: true,
      secure: getConfig().env.AUTH_URL?.startsWith("https:") ?? process.env.NODE_ENV === "production",
      sameSite: "lax",
      path: "/",
      maxAge: 900,
    });
  } else {
    jar.delete(LOGIN_DOMAIN_COOKIE);
  }
  await signIn(
    "microsoft-entra-id",
    // Back to the page that asked for sign-in (e.g. /admin/diagnostics), never to another site.
    { redirectTo: safeReturnPath(formData.get("callbackUrl"), "/token") },
    parsed.success ? { login_hint: parsed.data } : {},
  );
}
