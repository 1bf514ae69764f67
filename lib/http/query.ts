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

/**
 * Like queryParam, but a value longer than `max` is reported rather than dropped without a word, so the page can
 * say why the field it came for is empty. The long value itself is never echoed back.
 */
export function boundedQueryParam(
  query: SearchParams | undefined,
  name: string,
  max: number,
): { value?: string; tooLongBy?: number; message?: string } {
  const value = queryParam(query, name, Number.MAX_SAFE_INTEGER);
  if (value === undefined || value.length <= max) return value === undefined ? {} : { value };
  return {
    tooLongBy: value.length - max,
    message: `The ${name} in the address was ${value.length.toLocaleString("en-US")} characters long and was ignored: at most ${max} are accepted.`,
  };
}
