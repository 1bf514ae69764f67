import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { getConfig } from "@/lib/config";
import { safeReturnPath } from "@/lib/http/return-path";
import { isPortalAdmin } from "@/lib/session/admin";

export interface AdminIdentity {
  name: string | null;
  username: string | null;
  tenantId: string;
  objectId: string;
}

export const ADMIN_FORBIDDEN_PATH = "/admin/forbidden";
const DEFAULT_ADMIN_PATH = "/admin/diagnostics";

/** The signed-in portal admin, or `null`: for actions and routes that answer with a typed error. */
export async function checkAdmin(): Promise<AdminIdentity | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.objectId || !user.tenantId || session?.error === "SESSION_EXPIRED") return null;
  if (!isPortalAdmin({ roles: user.roles ?? [], objectId: user.objectId }, getConfig())) return null;
  return {
    name: user.name ?? null,
    username: user.username ?? null,
    tenantId: user.tenantId,
    objectId: user.objectId,
  };
}

/**
 * The signed-in portal admin, for server components and server actions. Anyone else leaves: signed out (or
 * expired) to sign-in and back here afterwards; signed in without the role to the page that says how to get it.
 * (Next's `forbidden()` would answer 403 itself, but needs the experimental `authInterrupts` flag.)
 */
export async function requireAdmin(): Promise<AdminIdentity> {
  const admin = await checkAdmin();
  if (admin) return admin;
  const session = await auth();
  if (!session?.user?.objectId || session.error === "SESSION_EXPIRED") {
    // The request guard (proxy.ts) passes the path of this request along.
    const back = safeReturnPath((await headers()).get("x-portal-path"), DEFAULT_ADMIN_PATH);
    redirect(`/?callbackUrl=${encodeURIComponent(back)}`);
  }
  redirect(ADMIN_FORBIDDEN_PATH);
}
