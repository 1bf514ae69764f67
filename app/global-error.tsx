"use client";

import "./globals.css";
import { useEffect } from "react";
import { INTERNAL_ENTRY } from "@/lib/internal-error";

/**
 * The last resort, when the root layout itself failed: it replaces the layout, so it brings the portal's frame
 * (name, a way home) itself. Self-contained on purpose: every page loads this boundary's script, and it needs none of
 * the portal's components. Its home link is a plain anchor: a full page load rebuilds what failed.
 */
export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(`[global error boundary] ${error.digest ?? error.name}`);
  }, [error]);
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Teams Token Portal</title>
      </head>
      <body className="min-h-screen">
        <main
          id="main"
          className="mx-auto w-full max-w-5xl space-y-4 px-4 py-8 sm:px-6"
          data-testid="error-page"
        >
          <a href="/" className="text-base font-bold tracking-tight">
            Teams Token Portal
          </a>
          <h1 className="text-2xl font-bold">{INTERNAL_ENTRY.title}</h1>
          <p>{INTERNAL_ENTRY.explanation}</p>
          <p>{INTERNAL_ENTRY.remedy}</p>
          {error.digest ? (
            <p className="text-sm">
              Reference for the app's admin: <code className="code">{error.digest}</code>
            </p>
          ) : null}
          <p className="flex flex-wrap gap-3">
            <button type="button" className="btn-primary" onClick={reset}>
              Try again
            </button>
            <a href="/" className="btn-secondary">
              Back to the start page
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}
