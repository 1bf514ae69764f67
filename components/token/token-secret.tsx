"use client";

import { useState } from "react";
import { CopyButton } from "@/components/copy-button";

interface TokenSecretProps {
  /** The textarea's id, for its label. */
  id: string;
  token: string;
  /** What the field shows while the token is hidden. */
  hidden: string;
  copyLabel: string;
  /** What anyone holding the token can do, for the warning under it. */
  holderCan: string;
}

/** A token just handed to this browser: hidden by default, shown, hidden again or copied on request. */
export function TokenSecret({ id, token, hidden, copyLabel, holderCan }: TokenSecretProps) {
  const [revealed, setRevealed] = useState(false);
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="text-sm font-medium">
        Token
      </label>
      <textarea
        id={id}
        readOnly
        rows={revealed ? 5 : 1}
        value={revealed ? token : hidden}
        className="field font-mono text-xs"
      />
      <div className="flex flex-wrap gap-2">
        <CopyButton value={token} label={copyLabel} />
        <button type="button" className="btn-secondary" onClick={() => setRevealed((value) => !value)}>
          {revealed ? "Hide token" : "Show token"}
        </button>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Treat it like a password: anyone holding it can {holderCan} until it expires.
      </p>
    </div>
  );
}
