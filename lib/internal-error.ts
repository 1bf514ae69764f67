import type { ErrorView } from "./errors";

/**
 * The catalogue's INTERNAL entry (lib/errors.ts lists it from here): what an error boundary shows. Error boundaries
 * are client components, and with this module they show the catalogue's words without shipping the whole catalogue.
 */
export const INTERNAL_ENTRY = {
  status: 500,
  title: "Something went wrong in the portal",
  explanation: "An unexpected error happened. It was logged without any token.",
  remedy: "Try again. If it persists, report the time and the request id to the app's admin.",
  actor: "app-admin",
} as const;

/** The same entry as `toErrorView(new PortalError("INTERNAL"))` makes it (tests/unit/internal-error.test.ts). */
export const INTERNAL_VIEW = {
  code: "INTERNAL",
  status: INTERNAL_ENTRY.status,
  title: INTERNAL_ENTRY.title,
  detail: INTERNAL_ENTRY.explanation,
  remedy: INTERNAL_ENTRY.remedy,
  actor: INTERNAL_ENTRY.actor,
} as const satisfies ErrorView;
