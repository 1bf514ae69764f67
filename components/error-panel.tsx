import { actorLabel } from "@/lib/actors";
import type { ErrorView } from "@/lib/errors";
import { remedyHref } from "@/lib/remedy-links";
import { ErrorPanelBody } from "./error-panel-body";

interface ErrorPanelProps {
  error: ErrorView;
  appId?: string;
  aadsts?: string;
  headingLevel?: "h2" | "h3";
  /** Overrides "Who acts" where the reader is known to be that person (e.g. the admin back from consent). */
  whoActs?: string;
}

/** One error, in the words a person needs: what happened, what to do, who does it, and where. */
export function ErrorPanel({ error, appId, aadsts, headingLevel, whoActs }: ErrorPanelProps) {
  const link = error.link
    ? remedyHref(error.link, { tenantId: error.tenantId, appId, code: error.code })
    : null;
  return (
    <ErrorPanelBody
      error={error}
      link={link}
      aadsts={aadsts}
      headingLevel={headingLevel}
      whoActs={whoActs ?? actorLabel[error.actor]}
    />
  );
}
