import type { Metadata } from "next";
import { auth } from "@/auth";
import { ErrorPanel } from "@/components/error-panel";
import { getConfig } from "@/lib/config";
import { PortalError, toErrorView } from "@/lib/errors";

export const metadata: Metadata = { title: "Administrators only" };

/** Where a signed-in user without the admin role lands (app/lib/require-admin.ts): what is missing and who adds it. */
export default async function AdminForbiddenPage() {
  const session = await auth();
  const view = toErrorView(new PortalError("ADMIN_ROLE_REQUIRED"));
  const role = getConfig().admins.role;
  return (
    <div className="space-y-6" data-testid="admin-forbidden">
      <p className="font-mono text-sm text-slate-600 dark:text-slate-300">403 · Forbidden</p>
      <h1 className="text-2xl font-bold">Portal administrators only</h1>
      {session?.user ? (
        <p>
          You are signed in as <strong>{session.user.username ?? session.user.name}</strong>, without the{" "}
          <code className="code">{role}</code> app role.
        </p>
      ) : null}
      <ErrorPanel error={view} />
      <p className="text-sm">
        <a href="/admin" className="link">
          The public set-up guide
        </a>{" "}
        ·{" "}
        <a href="/" className="link">
          Home
        </a>
      </p>
    </div>
  );
}
