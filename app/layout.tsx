import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { OfflineBanner } from "@/components/offline-banner";
import { SiteHeader } from "@/components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Teams Token Portal", template: "%s · Teams Token Portal" },
  description: "Get an Azure Communication Services access token for your Microsoft Teams account.",
  robots: { index: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, never at build time: the Content-Security-Policy's nonce is made per
  // request (proxy.ts) and Next puts it on its scripts only when it renders them; a prerendered page would carry
  // no nonce and the browser would block its scripts. (It also keeps the configuration out of `next build`.)
  // tests/e2e/csp-nonce.spec.ts fails if any page is prerendered.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        <OfflineBanner />
        <SiteHeader />
        <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6">
          {children}
        </main>
        <footer className="mx-auto max-w-5xl px-4 pb-10 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
          Teams Token Portal — open source. Entra tokens stay on the server; the Teams token is shown only to
          you.
        </footer>
      </body>
    </html>
  );
}
