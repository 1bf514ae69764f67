import type { EmulatorConfig } from "./config";
import { demoData, type TeamsExtensionAssignment } from "./data";

export type FaultKind = "429" | "500" | "503" | "delay" | "drop";
/** Which endpoint a fault hits: the ACS exchange (default), Entra's token endpoint or its key sets. */
export type FaultTarget = "acs" | "entra-token" | "entra-keys";

export interface Fault {
  kind: FaultKind;
  target?: FaultTarget;
  remaining: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

/** What an authorization code or refresh token stands for. */
export interface Grant {
  clientId: string;
  username: string;
  /** Short ACS scope names granted (e.g. Teams.ManageCalls). */
  acsScopes: string[];
  /** Full scope string that was asked for. */
  requestedScope: string;
  oidc: string[];
  nonce?: string;
}

export interface AuthorizationCode extends Grant {
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshToken extends Grant {
  expiresAt: number;
  used: boolean;
}

export const CODE_LIFETIME_MS = 5 * 60 * 1000;
export const REFRESH_LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_GRANTS = 50_000;

export const assignmentKey = (resourceId: string, tenantId: string, objectId: string): string =>
  `${resourceId}/${tenantId}/${objectId}`.toLowerCase();

/** All mutable state of one emulator instance (in memory only). */
export class EmulatorState {
  consents = new Set<string>();
  /** Object ids holding the Contributor role on the ACS resource (lower case). */
  acsContributors = new Set<string>();
  /**
   * Users whose delegated grant lists fewer ACS scopes than the app asks for (Lynne: consent given before
   * Teams.ManageChats was added to the app). An admin consent for their tenant replaces the grant with both.
   */
  partialGrants = new Map<string, string[]>();
  /** Users who accepted the user-consent prompt themselves (Lee, once he accepts). */
  userConsents = new Set<string>();
  accessTokenLifetimeSeconds: number;
  /** Tokens of real Entra size (EMULATOR_REAL_SIZE_TOKENS, or POST /_emulator/config). */
  realSizeTokens: boolean;
  faults: Fault[] = [];
  codes = new Map<string, AuthorizationCode>();
  refreshTokens = new Map<string, RefreshToken>();
  exchanges = { total: 0, succeeded: 0, failed: 0, byUser: {} as Record<string, number> };
  tokens = { authorization_code: 0, refresh_token: 0, client_credentials: 0 };
  /** Key-set downloads: Entra's tenant-independent set and tenant-specific ones. */
  keyFetches = { common: 0, tenant: 0 };
  /** Teams Phone assignments, keyed per ACS resource: `${resourceId}/${tenantId}/${objectId}` (lower case). */
  assignments = new Map<string, TeamsExtensionAssignment>();
  /** When a principal's assignment was deleted (epoch s): its Teams Phone tokens issued before are void. */
  revokedAt = new Map<string, number>();
  teamsExtensionExchanges = { total: 0, succeeded: 0, failed: 0 };
  private exchangeTimes: number[] = [];

  constructor(private readonly config: EmulatorConfig) {
    this.accessTokenLifetimeSeconds = config.tokenLifetimeSeconds;
    this.realSizeTokens = config.realSizeTokens;
    this.reset();
  }

  /** Back to the data file and environment defaults. */
  reset(): void {
    this.consents = new Set(demoData.tenants.filter((t) => t.consented).map((t) => t.id));
    this.acsContributors = new Set(demoData.acs.contributorPrincipalIds.map((id) => id.toLowerCase()));
    this.partialGrants = new Map(
      demoData.users.flatMap((u) => (u.grantedScopes ? [[u.username, [...u.grantedScopes]] as const] : [])),
    );
    this.userConsents = new Set();
    this.accessTokenLifetimeSeconds = this.config.tokenLifetimeSeconds;
    this.realSizeTokens = this.config.realSizeTokens;
    this.faults = [];
    this.codes.clear();
    this.refreshTokens.clear();
    this.exchanges = { total: 0, succeeded: 0, failed: 0, byUser: {} };
    this.tokens = { authorization_code: 0, refresh_token: 0, client_credentials: 0 };
    this.keyFetches = { common: 0, tenant: 0 };
    this.exchangeTimes = [];
    this.assignments = new Map(
      demoData.teamsExtension.assignments.map((a) => [
        assignmentKey(demoData.acs.resourceId, a.tenantId, a.objectId),
        { ...a, ...(a.clientIds ? { clientIds: [...a.clientIds] } : {}) },
      ]),
    );
    this.revokedAt.clear();
    this.teamsExtensionExchanges = { total: 0, succeeded: 0, failed: 0 };
  }

  /** Takes the next queued fault for this endpoint, if any, consuming one of its count. */
  takeFault(target: FaultTarget = "acs"): Fault | undefined {
    const index = this.faults.findIndex((f) => (f.target ?? "acs") === target);
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /** Sliding-window limiter; returns the seconds to wait when the limit is reached, else records the call. */
  rateLimited(now = Date.now()): number | null {
    const limit = this.config.acsRateLimit;
    if (!limit) return null;
    const windowMs = limit.seconds * 1000;
    while (this.exchangeTimes.length > 0 && (this.exchangeTimes[0] as number) <= now - windowMs) {
      this.exchangeTimes.shift();
    }
    if (this.exchangeTimes.length >= limit.count) {
      const oldest = this.exchangeTimes[0] as number;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    }
    this.exchangeTimes.push(now);
    return null;
  }

  recordExchange(oid: string | null): void {
    this.exchanges.total += 1;
    if (oid) {
      this.exchanges.succeeded += 1;
      this.exchanges.byUser[oid] = (this.exchanges.byUser[oid] ?? 0) + 1;
    } else {
      this.exchanges.failed += 1;
    }
  }

  /** Drops expired codes and refresh tokens so memory stays bounded under load. */
  sweep(now = Date.now()): void {
    for (const [k, v] of this.codes) if (v.expiresAt < now) this.codes.delete(k);
    for (const [k, v] of this.refreshTokens) if (v.expiresAt < now) this.refreshTokens.delete(k);
    while (this.codes.size > MAX_GRANTS) this.codes.delete(this.codes.keys().next().value as string);
    while (this.refreshTokens.size > MAX_GRANTS) {
      this.refreshTokens.delete(this.refreshTokens.keys().next().value as string);
    }
  }

  /** An admin consent for the tenant grants every requested permission to all its users. */
  grantAdminConsent(tenantId: string): void {
    this.consents.add(tenantId);
    for (const user of demoData.users)
      if (user.tenantId === tenantId) this.partialGrants.delete(user.username);
  }

  stats() {
    return {
      exchanges: { ...this.exchanges, byUser: { ...this.exchanges.byUser } },
      tokens: { ...this.tokens },
      keyFetches: { ...this.keyFetches },
      consents: [...this.consents],
      acsContributors: [...this.acsContributors],
      teamsExtension: { exchanges: { ...this.teamsExtensionExchanges }, assignments: this.assignments.size },
      accessTokenLifetimeSeconds: this.accessTokenLifetimeSeconds,
      realSizeTokens: this.realSizeTokens,
      pendingFaults: this.faults.map((f) => ({ ...f })),
    };
  }
}
