import type { Metadata } from "next";
import { type ConsentOutcome, ConsentResultView } from "@/components/consent/consent-result";
import { checkConsentState, stateProblem } from "@/lib/admin/consent-state";
import { getConfig } from "@/lib/config";
import { parseConsentResult } from "@/lib/entra/consent";
import { PortalError, toErrorView } from "@/lib/errors";
import type { SearchParams } from "@/lib/http/query";

export const metadata: Metadata = { title: "Admin consent result" };

async function outcomeOf(query: SearchParams, clientId: string): Promise<ConsentOutcome> {
  const result = parseConsentResult(query);
  if (result.kind === "none") return { kind: "none" };
  const check = await checkConsentState(result.state, result.tenantId);
  const tenantId = result.tenantId ?? (check.ok ? check.payload.tenant : undefined);
  const appId = check.ok ? check.payload.appId : clientId;

  if (result.kind === "failed") {
    // Whoever reached this page acted at the consent screen: an administrator, not a user signing in.
    const code = result.code === "AADSTS_CONSENT_DECLINED" ? "ADMIN_CONSENT_DECLINED" : result.code;
    return {
      kind: "failed",
      error: toErrorView(new PortalError(code, tenantId ? { tenantId } : {})),
      aadsts: result.aadsts,
      appId,
      unverified: !check.ok,
    };
  }
  if (!check.ok) {
    return {
      kind: "failed",
      error: toErrorView(
        new PortalError("CONSENT_STATE_MISMATCH", {
          detail: stateProblem[check.reason],
          ...(tenantId ? { tenantId } : {}),
        }),
      ),
      appId,
    };
  }
  return {
    kind: "granted",
    tenantId: tenantId ?? check.payload.tenant,
    appId,
    isThisPortal: appId === clientId,
  };
}

export default async function ConsentResultPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const outcome = await outcomeOf(await searchParams, getConfig().clientId);
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Admin consent result</h1>
      <ConsentResultView outcome={outcome} />
      <p className="text-sm">
        <a href="/consent" className="link">
          Back to the consent builder
        </a>{" "}
        ·{" "}
        <a href="/troubleshoot" className="link">
          All known errors
        </a>
      </p>
    </div>
  );
}
