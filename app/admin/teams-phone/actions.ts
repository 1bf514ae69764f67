"use server";

import { revalidatePath } from "next/cache";
import { checkAdmin } from "@/app/lib/require-admin";
import { getTeamsPhoneAssignments } from "@/lib/acs/teams-extension-assignments";
import { getConfig } from "@/lib/config";
import { isPortalError, PortalError, toErrorView } from "@/lib/errors";
import { parseAssignmentForm, principalSchema } from "@/lib/teams-phone/assignment-form";
import { auditLog } from "@/lib/teams-phone/audit";
import type { AssignmentActionState } from "@/lib/teams-phone/view";
import { forgetCachedTokens } from "@/lib/teams-token/service";

const PAGE = "/admin/teams-phone";

/** Every action re-checks the admin role and the switch itself: the page that rendered the form proves nothing. */
async function adminOrThrow() {
  const admin = await checkAdmin();
  if (!admin) throw new PortalError("TEAMS_PHONE_ADMIN_REQUIRED");
  if (!getConfig().env.TEAMS_PHONE_ENABLED) throw new PortalError("TEAMS_PHONE_DISABLED");
  return admin;
}

function failed(error: unknown, at: number): AssignmentActionState {
  if (!isPortalError(error)) {
    console.error(`[teams phone admin] unexpected ${error instanceof Error ? error.name : typeof error}`);
  }
  return { status: "error", error: toErrorView(error), at };
}

export async function saveAssignment(
  _previous: AssignmentActionState,
  formData: FormData,
): Promise<AssignmentActionState> {
  const at = Date.now();
  try {
    const admin = await adminOrThrow();
    const parsed = parseAssignmentForm(formData);
    if (!parsed.success) return { status: "invalid", fieldErrors: parsed.fieldErrors, at };
    const { created, assignment } = await getTeamsPhoneAssignments().put(parsed.data);
    // A replaced assignment may allow fewer apps: cached tokens are re-checked by ACS at the next exchange.
    if (!created) await forgetCachedTokens("teams-phone", assignment.tenantId, assignment.objectId);
    await auditLog().record({
      at: new Date(at).toISOString(),
      actor: admin,
      action: created ? "create" : "replace",
      target: { tenantId: assignment.tenantId, objectId: assignment.objectId },
      principalType: assignment.principalType,
      clientIds: assignment.clientIds,
    });
    revalidatePath(PAGE);
    return { status: "saved", created, at };
  } catch (error) {
    return failed(error, at);
  }
}

export async function removeAssignment(
  _previous: AssignmentActionState,
  formData: FormData,
): Promise<AssignmentActionState> {
  const at = Date.now();
  try {
    const admin = await adminOrThrow();
    const parsed = principalSchema.safeParse({
      tenantId: formData.get("tenantId") ?? "",
      objectId: formData.get("objectId") ?? "",
    });
    if (!parsed.success) throw new PortalError("TEAMS_PHONE_ASSIGNMENT_INVALID");
    const { tenantId, objectId } = parsed.data;
    await getTeamsPhoneAssignments().remove(tenantId, objectId);
    // ACS revokes the principal's tokens; the portal must not keep serving them from its cache.
    await forgetCachedTokens("teams-phone", tenantId, objectId);
    await auditLog().record({
      at: new Date(at).toISOString(),
      actor: admin,
      action: "remove",
      target: { tenantId, objectId },
    });
    revalidatePath(PAGE);
    return { status: "removed", at };
  } catch (error) {
    return failed(error, at);
  }
}
