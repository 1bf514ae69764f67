"use client";

import { useActionState, useState } from "react";
import { LazyErrorPanel } from "@/components/lazy-error-panel";
import type { TeamsTokenFacts, TeamsTokenState } from "@/lib/teams-token/view";
import { LazyTokenSecret } from "./lazy-token-secret";
import { LocalTime } from "./local-time";
import { Validity } from "./validity";

interface TeamsTokenPanelProps {
  action: (previous: TeamsTokenState, formData: FormData) => Promise<TeamsTokenState>;
  appId: string;
  /** What the server knows on load: "held" (a valid token is cached, not sent) or "idle". Never a token. */
  initial: TeamsTokenState;
  /** Why no token can be had right now (already explained above on the page): the buttons are disabled. */
  blockedReason?: string;
}

function factsOf(state: TeamsTokenState): TeamsTokenFacts | null {
  return state.status === "held" || state.status === "success"
    ? {
        expiresOn: state.expiresOn,
        fingerprint: state.fingerprint,
        ...(state.issuedAt ? { issuedAt: state.issuedAt } : {}),
      }
    : null;
}

/** Issued at and fingerprint: what tells one token from the next without showing either. */
function TokenFacts({ facts }: { facts: TeamsTokenFacts }) {
  return (
    <p className="text-sm text-slate-600 dark:text-slate-300">
      {facts.issuedAt ? (
        <>
          Issued at{" "}
          <span data-testid="teams-issued-at" data-value={facts.issuedAt}>
            <LocalTime iso={facts.issuedAt} />
          </span>{" "}
          ·{" "}
        </>
      ) : null}
      Fingerprint{" "}
      <span className="font-mono" data-testid="teams-fingerprint">
        {facts.fingerprint}
      </span>{" "}
      <span className="text-xs">(first 8 hex digits of the token's SHA-256)</span>
    </p>
  );
}

/** The Teams token's status: none yet, held (on load), valid (with a live countdown), expired, or failed. */
export function TeamsTokenPanel({ action, appId, initial, blockedReason }: TeamsTokenPanelProps) {
  const [state, formAction, pending] = useActionState(action, initial);
  const [expiredAt, setExpiredAt] = useState<string | null>(null);
  const [beforeRenew, setBeforeRenew] = useState<TeamsTokenFacts | null>(null);
  const facts = factsOf(state);
  const expired = facts !== null && expiredAt === `${facts.fingerprint}:${facts.expiresOn}`;
  const disabled = pending || Boolean(blockedReason);

  return (
    <section aria-labelledby="teams-token" className="card space-y-4" aria-busy={pending}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="teams-token" className="text-lg font-semibold">
          Teams token (Azure Communication Services)
        </h2>
        <div className="flex flex-wrap gap-2">
          {state.status === "held" ? (
            <form action={formAction}>
              <input type="hidden" name="forceRefresh" value="false" />
              <button type="submit" className="btn-primary" disabled={disabled}>
                {pending ? "Working…" : "Get Teams token"}
              </button>
            </form>
          ) : null}
          <form action={formAction} onSubmit={() => setBeforeRenew(facts)}>
            <input type="hidden" name="forceRefresh" value={facts ? "true" : "false"} />
            <button
              type="submit"
              className={state.status === "held" ? "btn-secondary" : "btn-primary"}
              disabled={disabled}
            >
              {pending ? "Working…" : facts ? "Renew Teams token" : "Get Teams token"}
            </button>
          </form>
        </div>
      </div>

      <div aria-live="polite" data-testid="token-status" data-status={expired ? "expired" : state.status}>
        {blockedReason ? (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="token-blocked">
            {blockedReason}
          </p>
        ) : null}

        {state.status === "idle" && !blockedReason ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            No Teams token held for you yet. The portal exchanges your Microsoft Entra sign-in for one on the
            server.
          </p>
        ) : null}

        {facts ? (
          <div className="space-y-3">
            <Validity
              expiresOn={facts.expiresOn}
              expired={expired}
              valid={state.status === "held" ? "A valid Teams token is held for you" : "Valid"}
              testId="teams-expires-on"
              tokenKey={`${facts.fingerprint}:${facts.expiresOn}`}
              onExpired={() => setExpiredAt(`${facts.fingerprint}:${facts.expiresOn}`)}
              cached={state.status === "success" && state.cached}
            />
            <TokenFacts facts={facts} />
            {state.status === "success" && state.renewed && beforeRenew ? (
              <p
                className="rounded-lg bg-emerald-50 p-3 text-sm dark:bg-emerald-950/40"
                data-testid="renewal"
              >
                {beforeRenew.fingerprint === facts.fingerprint
                  ? "Renewed, but ACS answered with the same token."
                  : `Renewed: a new token (fingerprint ${facts.fingerprint}, was ${beforeRenew.fingerprint}).`}{" "}
                {beforeRenew.expiresOn === facts.expiresOn
                  ? "Its expiry is unchanged: a Teams token expires with the Microsoft Entra sign-in it was exchanged from."
                  : null}
              </p>
            ) : null}
            {state.status === "held" ? (
              <p className="text-xs text-slate-500 dark:text-slate-400">
                The token itself is sent to this browser only when you get it.
              </p>
            ) : null}
          </div>
        ) : null}

        {state.status === "success" ? (
          <div className="mt-3 space-y-3">
            <p className="text-sm">
              Teams user id: <span className="font-mono break-all">{state.teamsUserId}</span>
            </p>
            <LazyTokenSecret
              id="teams-token-value"
              token={state.token}
              hidden={`Hidden (${state.token.length} characters, fingerprint ${state.fingerprint})`}
              copyLabel="Copy token"
              holderCan="call and chat as you"
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
