import { z } from "zod";

/** The spec's enum (REST 2025-06-30 TeamsExtensionPrincipalType): what the portal always sends. */
export const PRINCIPAL_TYPES = ["user", "resourceAccount"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export const PRINCIPAL_TYPE_LABELS: Record<PrincipalType, string> = {
  user: "User",
  resourceAccount: "Teams resource account",
};

/**
 * Spellings seen in the wild → the spec's: Microsoft's docs write `teamsResourceAccount`, a Microsoft sample sends
 * `User`; ACS itself may echo either. Anything else is refused rather than guessed.
 */
export const principalTypeSchema = z
  .string()
  .trim()
  .transform((value) => value.toLowerCase().replace(/[\s_-]/g, ""))
  .pipe(
    z.enum(["user", "resourceaccount", "teamsresourceaccount"], {
      message: "must be user or resourceAccount",
    }),
  )
  .transform((value): PrincipalType => (value === "user" ? "user" : "resourceAccount"));

export function normalisePrincipalType(value: unknown): PrincipalType | undefined {
  const parsed = principalTypeSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
