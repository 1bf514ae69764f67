"use client";

import { useActionState } from "react";
import { LazyErrorPanel } from "@/components/lazy-error-panel";
import type { AcsRecheckState } from "@/lib/admin/recheck-state";

/** The admin's "Check again" button for the live ACS check, with its answer or why it was refused. */
export function AcsRecheck({ action }: { action: (previous: AcsRecheckState) => Promise<AcsRecheckState> }) {
  const [state, run, pending] = useActionState(action, { status: "idle" });
  return (
    <div className="space-y-3">
      <form action={run}>
        <button type="submit" className="btn-secondary" disabled={pending}>
          {pending ? "Checking…" : "Check ACS again"}
        </button>
      </form>
      <div aria-live="polite" data-testid="acs-recheck" data-status={state.status}>
        {state.status === "checked" ? (
          <p className="text-sm" data-acs-status={state.acsStatus}>
            {state.summary}
          </p>
        ) : null}
        {state.status === "error" ? <LazyErrorPanel error={state.error} headingLevel="h3" /> : null}
      </div>
    </div>
  );
}
