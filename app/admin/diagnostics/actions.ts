"use server";

import { checkAdmin } from "@/app/lib/require-admin";
import { adminAcsCheck } from "@/lib/admin/admin-acs-check";
import type { AcsRecheckState } from "@/lib/admin/recheck-state";
import { PortalError, toErrorView } from "@/lib/errors";

/** "Check again": a live ACS probe for a portal admin, within the per-admin and global limits. */
export async function recheckAcs(_previous: AcsRecheckState): Promise<AcsRecheckState> {
  // Every action re-checks who calls it: the page that rendered the button proves nothing.
  const admin = await checkAdmin();
  if (!admin) return { status: "error", error: toErrorView(new PortalError("ADMIN_ROLE_REQUIRED")) };
  const check = await adminAcsCheck(admin.objectId, { force: true });
  if (check.kind === "limited") {
    return {
      status: "error",
      error: toErrorView(
        new PortalError("RATE_LIMITED", {
          detail:
            "The live ACS check was run too often: each one spends an exchange of the resource's quota.",
          retryAfterSeconds: check.retryAfterSeconds,
        }),
      ),
    };
  }
  return {
    status: "checked",
    summary: check.result.summary,
    acsStatus: check.result.status,
    at: check.result.checkedAt,
  };
}
