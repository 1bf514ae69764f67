"use client";

import { Countdown } from "./countdown";
import { LocalTime } from "./local-time";

interface ValidityProps {
  expiresOn: string;
  expired: boolean;
  /** The words before "until", e.g. "Valid". */
  valid: string;
  /** data-testid of the expiry time (tests read its ISO value). */
  testId: string;
  /** Changes with each token, so the countdown starts again. */
  tokenKey: string;
  onExpired: () => void;
  cached?: boolean;
}

/** "Valid until <time> — expires in <countdown>", or that it expired. */
export function Validity({ expiresOn, expired, valid, testId, tokenKey, onExpired, cached }: ValidityProps) {
  return (
    <p className="text-sm">
      {expired ? (
        <strong className="text-red-700 dark:text-red-300">Expired. Renew it to continue.</strong>
      ) : (
        <>
          <strong className="text-emerald-700 dark:text-emerald-300">{valid}</strong> until{" "}
          <span data-testid={testId} data-value={expiresOn}>
            <LocalTime iso={expiresOn} />
          </span>{" "}
          — expires in <Countdown key={tokenKey} until={expiresOn} onExpired={onExpired} />
        </>
      )}
      {cached ? <span className="ml-2 text-slate-500 dark:text-slate-400">(reused from cache)</span> : null}
    </p>
  );
}
