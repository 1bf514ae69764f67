import "server-only";
import { getConfig } from "@/lib/config";
import { getStore } from "@/lib/store";
import { type AcsProbeResult, checkAcs, freshAcsCheck, lastAcsCheck } from "./acs-probe";

export type AdminAcsCheck =
  | { kind: "checked"; result: AcsProbeResult }
  | { kind: "limited"; retryAfterSeconds: number; last: AcsProbeResult | undefined };

/**
 * The live ACS credential check for a portal admin. Every probe spends one exchange of the ACS resource's quota,
 * so probes are limited per admin and for all admins together; a fresh result (30 s) is shown without a probe
 * unless the admin asks to check again.
 */
export async function adminAcsCheck(
  adminObjectId: string,
  { force }: { force: boolean },
): Promise<AdminAcsCheck> {
  const fresh = force ? undefined : freshAcsCheck();
  if (fresh) return { kind: "checked", result: fresh };
  const { env } = getConfig();
  const store = getStore();
  const limits = [
    { key: `admin-acs-check:${adminObjectId}`, rate: env.RATE_LIMIT_ADMIN_CHECK },
    { key: "admin-acs-check", rate: env.RATE_LIMIT_ADMIN_CHECK_GLOBAL },
  ];
  for (const { key, rate } of limits) {
    const decision = await store.consumeRate(key, rate.limit, rate.windowSeconds);
    if (!decision.allowed) {
      return { kind: "limited", retryAfterSeconds: decision.retryAfterSeconds, last: lastAcsCheck() };
    }
  }
  return { kind: "checked", result: await checkAcs({ force: true }) };
}
