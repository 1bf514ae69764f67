"use client";

import "./globals.css";
import { ErrorPage, type ErrorPageProps } from "@/components/error-page";

/**
 * The last resort, when the root layout itself failed: it replaces the layout, so it brings the portal's frame
 * (name, a way home, footer) itself. Its home link is a plain anchor: a full page load rebuilds what failed.
 */
export default function GlobalError(props: ErrorPageProps) {
  return (
    <html lang="en">
      <head>
        <title>Something went wrong · Teams Token Portal</title>
      </head>
      <body className="min-h-screen">
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-5xl items-center px-4 py-3 sm:px-6">
            <a href="/" className="text-base font-bold tracking-tight">
              Teams Token Portal
            </a>
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6">
          <ErrorPage {...props} />
        </main>
        <footer className="mx-auto max-w-5xl px-4 pb-10 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
          Teams Token Portal — open source.
        </footer>
      </body>
    </html>
  );
}
