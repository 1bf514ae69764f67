import type { ErrorView } from "@/lib/errors";

/** What the admin page's actions return to the browser (no token ever: assignments hold ids only). */
export type AssignmentActionState =
  | { status: "idle" }
  | { status: "saved"; created: boolean; at: number }
  | { status: "removed"; at: number }
  | { status: "invalid"; fieldErrors: Record<string, string>; at: number }
  | { status: "error"; error: ErrorView; at: number };
