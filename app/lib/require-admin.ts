import "server-only";
import { notFound, redirect } from "next/navigation";
import { auth } from "@/auth";

/**
 * MINIMAL STAND-IN for the admin guard another branch builds (same signature; the lead swaps it at merge).
 * Admin = signed in as the demo administrator (diego@contoso.com, whose id token carries TokenPortal.Admin).
 */
export interface AdminIdentity {
  name: string | null;
  username: string | null;
  tenantId: string;
  objectId: string;
}

const DEMO_ADMIN = {
  tenantId: "2b88a774-b406-4fcf-9c4f-d8c37f92cce1",
  objectId: "34bc4147-581a-440d-9beb-c80408dc4208",
};

/** The signed-in admin, or null (not signed in, or not an admin). For server actions. */
export async function checkAdmin(): Promise<AdminIdentity | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.tenantId || !user.objectId) return null;
  if (user.tenantId !== DEMO_ADMIN.tenantId || user.objectId !== DEMO_ADMIN.objectId) return null;
  return {
    name: user.name ?? null,
    username: user.username ?? null,
    tenantId: user.tenantId,
    objectId: user.objectId,
  };
}

/** For admin pages: never returns for a non-admin (sign-in for visitors, not found for other users). */
export async function requireAdmin(): Promise<AdminIdentity> {
  const admin = await checkAdmin();
  if (admin) return admin;
  const session = await auth();
  if (!session?.user) redirect("/");
  notFound();
}
