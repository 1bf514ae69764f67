import type { Metadata } from "next";
import { ErrorPanel } from "@/components/error-panel";
import { PortalError, toErrorView } from "@/lib/errors";

export const metadata: Metadata = { title: "Page not found" };

/** Any unknown address, inside the portal's layout, with the catalogue's code and the ways on. */
export default function NotFound() {
  return (
    <div className="space-y-6" data-testid="not-found">
      <p className="font-mono text-sm text-slate-600 dark:text-slate-300">404 · Not found</p>
      <h1 className="text-2xl font-bold">This page does not exist</h1>
      <ErrorPanel error={toErrorView(new PortalError("NOT_FOUND"))} />
      <p className="flex flex-wrap gap-3">
        <a href="/" className="btn-primary">
          Back to the start page
        </a>
        <a href="/token" className="btn-secondary">
          My Teams token
        </a>
        <a href="/troubleshoot" className="btn-secondary">
          Troubleshooting
        </a>
      </p>
    </div>
  );
}
