"use client";

import { useActionState } from "react";
import { LazyErrorPanel } from "@/components/lazy-error-panel";
import type { AssignmentActionState } from "@/lib/teams-phone/view";

interface RemoveAssignmentProps {
  action: (previous: AssignmentActionState, formData: FormData) => Promise<AssignmentActionState>;
  tenantId: string;
  objectId: string;
  appId: string;
}

/** Removes the assignment; the warning stands before the button, since removal revokes tokens at once. */
export function RemoveAssignment({ action, tenantId, objectId, appId }: RemoveAssignmentProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="card space-y-3" aria-labelledby="remove-title" aria-busy={pending}>
      <h2 id="remove-title" className="text-lg font-semibold">
        Remove the assignment
      </h2>
      <p
        id="remove-warning"
        className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-50"
      >
        Removing it <strong>revokes this principal's Teams Phone tokens at once</strong>: apps using them lose
        access, and new tokens are refused until an assignment is created again.
      </p>
      <input type="hidden" name="tenantId" value={tenantId} />
      <input type="hidden" name="objectId" value={objectId} />
      <button type="submit" className="btn-secondary" disabled={pending} aria-describedby="remove-warning">
        {pending ? "Removing…" : "Remove assignment"}
      </button>
      <div aria-live="polite" data-testid="assignment-remove-status" data-status={state.status}>
        {state.status === "removed" ? (
          <p className="text-sm font-medium text-emerald-700 dark:text-emerald-300">
            Assignment removed; its tokens are revoked.
          </p>
        ) : null}
        {state.status === "error" ? (
          <LazyErrorPanel error={state.error} appId={appId} headingLevel="h3" />
        ) : null}
      </div>
    </form>
  );
}
