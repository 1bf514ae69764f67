/** What the diagnostics page's "Check ACS again" action answers: plain data for the client component. */
import type { ErrorView } from "@/lib/errors";

export type AcsRecheckState =
  | { status: "idle" }
  | { status: "checked"; summary: string; acsStatus: string; at: number }
  | { status: "error"; error: ErrorView };
