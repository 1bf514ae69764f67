import "server-only";
import { z } from "zod";
import { PRINCIPAL_TYPES } from "@/lib/acs/principal-type";
import { getStore, type TokenStore } from "@/lib/store";

/** Who changed which Teams Phone access assignment, when and how. Never a token. */
export const auditEntrySchema = z.object({
  at: z.iso.datetime(),
  actor: z.object({
    name: z.string().nullable(),
    username: z.string().nullable(),
    tenantId: z.string(),
    objectId: z.string(),
  }),
  action: z.enum(["create", "replace", "remove"]),
  target: z.object({ tenantId: z.string(), objectId: z.string() }),
  principalType: z.enum(PRINCIPAL_TYPES).optional(),
  clientIds: z.array(z.string()).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const LOG_KEY = "audit:teams-phone-assignments:v1";
const MAX_ENTRIES = 500;

export function createAuditLog(store: TokenStore) {
  return {
    record: (entry: AuditEntry) =>
      store.appendLog(LOG_KEY, JSON.stringify(auditEntrySchema.parse(entry)), MAX_ENTRIES),
    /** Newest first; entries that do not parse (e.g. tampered in Redis) are skipped. */
    async recent(limit = 50): Promise<AuditEntry[]> {
      const raw = await store.readLog(LOG_KEY, limit);
      return raw.flatMap((text) => {
        try {
          const parsed = auditEntrySchema.safeParse(JSON.parse(text));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
    },
  };
}

export const auditLog = () => createAuditLog(getStore());
