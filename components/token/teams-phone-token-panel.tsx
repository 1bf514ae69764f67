"use client";

import { type ReactNode, useActionState, useState } from "react";
import { LazyErrorPanel } from "@/components/lazy-error-panel";
import type { TeamsPhoneTokenState } from "@/lib/teams-token/view";
import { LazyTokenSecret } from "./lazy-token-secret";
import { Validity } from "./validity";

interface TeamsPhoneTokenPanelProps {
  action: (previous: TeamsPhoneTokenState, formData: FormData) => Promise<TeamsPhoneTokenState>;
  appId: string;
  /** What the token is for, shown until there is one: rendered on the server, so its words ship in the HTML only. */
  intro: ReactNode;
}

/** The Teams Phone extensibility token: its ACS identity (8:acs:…), expiry, renew and copy, or the precise remedy. */
export function TeamsPhoneTokenPanel({ action, appId, intro }: TeamsPhoneTokenPanelProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const [expiredAt, setExpiredAt] = useState<number | null>(null);
  const hasToken = state.status === "success";
  const expired = hasToken && expiredAt === state.at;

  return (
    <section aria-labelledby="teams-phone-token" className="card space-y-4" aria-busy={pending}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="teams-phone-token" className="text-lg font-semibold">
          Teams Phone token
        </h2>
        <form action={formAction} className="flex gap-2">
          <input type="hidden" name="forceRefresh" value={hasToken ? "true" : "false"} />
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending
              ? hasToken
                ? "Renewing…"
                : "Getting token…"
              : hasToken
                ? "Renew Teams Phone token"
                : "Get Teams Phone token"}
          </button>
        </form>
      </div>

      <div
        aria-live="polite"
        data-testid="phone-token-status"
        data-status={expired ? "expired" : state.status}
      >
        {state.status === "idle" ? intro : null}

        {state.status === "success" ? (
          <div className="space-y-3">
            <Validity
              expiresOn={state.expiresOn}
              expired={expired}
              valid="Valid"
              testId="phone-expires-on"
              tokenKey={String(state.at)}
              onExpired={() => setExpiredAt(state.at)}
              cached={state.cached}
            />
            <p className="text-sm">
              ACS identity:{" "}
              <span className="break-all font-mono" data-testid="phone-acs-id">
                {state.acsUserId}
              </span>
            </p>
            <LazyTokenSecret
              id="teams-phone-token-value"
              token={state.token}
              hidden={`${state.token.slice(0, 16)}… (${state.token.length} characters)`}
              copyLabel="Copy Teams Phone token"
              holderCan="place Teams Phone calls as you"
            />
          </div>
        ) : null}

        {state.status === "error" ? (
          <LazyErrorPanel error={state.error} appId={appId} headingLevel="h3" />
        ) : null}
      </div>
    </section>
  );
}
