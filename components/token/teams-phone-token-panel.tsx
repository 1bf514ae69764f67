"use client";

import { useActionState, useState } from "react";
import { CopyButton } from "@/components/copy-button";
import { ErrorPanel } from "@/components/error-panel";
import type { TeamsPhoneTokenState } from "@/lib/teams-token/view";
import { Countdown } from "./countdown";
import { LocalTime } from "./local-time";

interface TeamsPhoneTokenPanelProps {
  action: (previous: TeamsPhoneTokenState, formData: FormData) => Promise<TeamsPhoneTokenState>;
  appId: string;
}

/** The Teams Phone extensibility token: its ACS identity (8:acs:…), expiry, renew and copy, or the precise remedy. */
export function TeamsPhoneTokenPanel({ action, appId }: TeamsPhoneTokenPanelProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const [expiredAt, setExpiredAt] = useState<number | null>(null);
  const [revealed, setRevealed] = useState(false);
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
        {state.status === "idle" ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            For Teams Phone extensibility: an ACS identity of your own on this portal's Communication Services
            resource, for apps that place and answer Teams Phone calls. It needs an access assignment by the
            resource's administrator.
          </p>
        ) : null}

        {state.status === "success" ? (
          <div className="space-y-3">
            <p className="text-sm">
              {expired ? (
                <strong className="text-red-700 dark:text-red-300">Expired. Renew it to continue.</strong>
              ) : (
                <>
                  <strong className="text-emerald-700 dark:text-emerald-300">Valid</strong> until{" "}
                  <span data-testid="phone-expires-on" data-value={state.expiresOn}>
                    <LocalTime iso={state.expiresOn} />
                  </span>{" "}
                  — expires in{" "}
                  <Countdown
                    key={state.at}
                    until={state.expiresOn}
                    onExpired={() => setExpiredAt(state.at)}
                  />
                </>
              )}
              {state.cached ? (
                <span className="ml-2 text-slate-500 dark:text-slate-400">(reused from cache)</span>
              ) : null}
            </p>
            <p className="text-sm">
              ACS identity:{" "}
              <span className="break-all font-mono" data-testid="phone-acs-id">
                {state.acsUserId}
              </span>
            </p>
            <div className="space-y-2">
              <label htmlFor="teams-phone-token-value" className="text-sm font-medium">
                Token
              </label>
              <textarea
                id="teams-phone-token-value"
                readOnly
                rows={revealed ? 5 : 1}
                value={
                  revealed ? state.token : `${state.token.slice(0, 16)}… (${state.token.length} characters)`
                }
                className="field font-mono text-xs"
              />
              <div className="flex flex-wrap gap-2">
                <CopyButton value={state.token} label="Copy Teams Phone token" />
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() => setRevealed((value) => !value)}
                >
                  {revealed ? "Hide token" : "Show token"}
                </button>
              </div>
              <p className="text-xs text-slate-500 dark:text-slate-400">
                Treat it like a password: anyone holding it can place Teams Phone calls as you until it
                expires.
              </p>
            </div>
          </div>
        ) : null}

        {state.status === "error" ? <ErrorPanel error={state.error} appId={appId} headingLevel="h3" /> : null}
      </div>
    </section>
  );
}
