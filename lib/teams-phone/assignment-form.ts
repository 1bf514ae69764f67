import { z } from "zod";
import { principalTypeSchema } from "@/lib/acs/principal-type";
import { GUID_PATTERN } from "@/lib/guid";

const guid = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(GUID_PATTERN, `${what} must be a GUID such as 00000000-0000-0000-0000-000000000000`);

export const principalSchema = z.object({
  tenantId: guid("The tenant id"),
  objectId: guid("The object id"),
});

/** "a, b c;d" → ["a","b","c","d"], each a GUID; duplicates dropped. */
const otherClientIds = z
  .string()
  .max(2_000)
  .transform((value) => value.split(/[\s,;]+/).filter(Boolean))
  .pipe(z.array(guid("Each other client app id")).max(50));

/** The admin form's fields: the principal, its type (any spelling seen in the wild) and the allowed client apps. */
export const assignmentFormSchema = principalSchema.extend({
  principalType: principalTypeSchema,
  clientIds: z.array(guid("A client app id")).max(50),
  otherClientIds,
});

export function parseAssignmentForm(formData: FormData) {
  const parsed = assignmentFormSchema.safeParse({
    tenantId: formData.get("tenantId") ?? "",
    objectId: formData.get("objectId") ?? "",
    principalType: formData.get("principalType") ?? "",
    clientIds: formData.getAll("clientIds").map(String),
    otherClientIds: String(formData.get("otherClientIds") ?? ""),
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= issue.message;
    }
    return { success: false as const, fieldErrors };
  }
  const { tenantId, objectId, principalType, clientIds, otherClientIds: others } = parsed.data;
  return {
    success: true as const,
    data: { tenantId, objectId, principalType, clientIds: [...new Set([...clientIds, ...others])] },
  };
}
