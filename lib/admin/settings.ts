import "server-only";
import { type VariableName, variables } from "@/lib/config/schema";

/**
 * Which settings are present and valid — never their values. Used by the set-up guide to list what is missing.
 */

export type Requirement = "required" | "one-of-acs" | "recommended" | "optional";

export interface SettingStatus {
  name: VariableName;
  about: string;
  where: string;
  requirement: Requirement;
  /** Whether the variable has a non-empty value. */
  set: boolean;
  /** Whether the value passes the schema; true for an unset optional variable. */
  valid: boolean;
  /** The schema's words for what is wrong (never the value). */
  problem?: string;
  secret: boolean;
}

const REQUIREMENT: Partial<Record<VariableName, Requirement>> = {
  AUTH_SECRET: "required",
  AUTH_MICROSOFT_ENTRA_ID_ID: "required",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "required",
  ACS_CONNECTION_STRING: "one-of-acs",
  ACS_ENDPOINT: "one-of-acs",
  AUTH_URL: "recommended",
};

const SECRETS = new Set<VariableName>([
  "AUTH_SECRET",
  "AUTH_MICROSOFT_ENTRA_ID_SECRET",
  "ACS_CONNECTION_STRING",
  "REDIS_URL",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
]);

export function settingsStatus(source: Record<string, string | undefined> = process.env): SettingStatus[] {
  return (Object.keys(variables) as VariableName[]).map((name) => {
    const variable = variables[name];
    const raw = source[name];
    const set = typeof raw === "string" && raw.trim() !== "";
    const result = variable.schema.safeParse(set ? raw : undefined);
    const requirement = REQUIREMENT[name] ?? "optional";
    const problem = result.success ? undefined : (result.error.issues[0]?.message ?? "is invalid");
    return {
      name,
      about: variable.about,
      where: variable.where,
      requirement,
      set,
      valid: result.success || (!set && requirement === "one-of-acs"),
      ...(problem && set ? { problem } : {}),
      ...(problem && !set && requirement === "required" ? { problem: "is missing" } : {}),
      secret: SECRETS.has(name),
    };
  });
}

/** The settings still to do: required ones missing or invalid, set ones invalid, and no ACS authentication. */
export function missingSettings(statuses: readonly SettingStatus[]): SettingStatus[] {
  const acsSet = statuses.some((s) => s.requirement === "one-of-acs" && s.set && s.valid);
  return statuses.filter(
    (s) =>
      (s.requirement === "required" && (!s.set || !s.valid)) ||
      (s.set && !s.valid) ||
      (s.requirement === "one-of-acs" && !acsSet && s.name === "ACS_CONNECTION_STRING"),
  );
}
