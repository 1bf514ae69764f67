"use client";

import { useEffect } from "react";
import { actorLabel } from "@/lib/actors";
import { INTERNAL_VIEW } from "@/lib/internal-error";
import { ErrorPanelBody } from "./error-panel-body";

export interface ErrorPageProps {
  error: Error & { digest?: string };
  reset: () => void;
}

/**
 * What an error boundary shows: the catalogue's words for an unexpected error, a way to try again and a way home.
 * In production Next.js hands the browser no message, only a digest that matches the server's log line.
 */
export function ErrorPage({
  error,
  reset,
  heading = "Something went wrong",
  back = { href: "/", label: "Back to the start page" },
}: ErrorPageProps & { heading?: string; back?: { href: string; label: string } }) {
  useEffect(() => {
    console.error(`[error boundary] ${error.digest ?? error.name}`);
  }, [error]);
  return (
    <div className="space-y-6" data-testid="error-page" data-error-digest={error.digest ?? ""}>
      <h1 className="text-2xl font-bold">{heading}</h1>
      <ErrorPanelBody error={INTERNAL_VIEW} link={null} whoActs={actorLabel[INTERNAL_VIEW.actor]} />
      {error.digest ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Reference for the app's admin: <code className="code">{error.digest}</code>
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button type="button" className="btn-primary" onClick={reset}>
          Try again
        </button>
        <a href={back.href} className="btn-secondary">
          {back.label}
        </a>
      </div>
    </div>
  );
}
