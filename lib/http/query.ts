import { z } from "zod";

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter as a string of at most `max` characters; anything else is undefined. */
export function queryParam(query: SearchParams | undefined, name: string, max = 512): string | undefined {
  const schema = z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value[0] : value))
    .pipe(z.string().max(max))
    .optional()
    .catch(undefined);
  return schema.parse(query && Object.hasOwn(query, name) ? query[name] : undefined);
}
