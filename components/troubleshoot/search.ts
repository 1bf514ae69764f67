import {
  type CatalogueEntry,
  catalogue,
  codeForAadsts,
  codeForAcsError,
  type ErrorCode,
  errorCodes,
  isErrorCode,
} from "@/lib/errors";
import { MAX_QUERY } from "./max-query";

/**
 * Finds catalogue entries from what a person pastes: an AADSTS number, an ACS error code, a portal code,
 * or message text. Pure and shared by the server (the `?q=` form) and the client (instant filtering).
 */

export { MAX_QUERY } from "./max-query";

const STOP_WORDS = new Set([
  "the",
  "and",
  "for",
  "not",
  "has",
  "have",
  "was",
  "are",
  "this",
  "that",
  "with",
  "you",
  "your",
  "yet",
  "been",
  "from",
  "its",
  "can",
  "could",
  "error",
  "code",
  "please",
  "when",
  "then",
]);

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d'"`]/g, " ")
    .replace(/…|\.{3}/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function haystack(code: ErrorCode): string {
  const entry: CatalogueEntry = catalogue[code];
  return normalise(
    [
      code,
      entry.title,
      entry.explanation,
      entry.remedy,
      ...(entry.aadsts ?? []).map((n) => `aadsts${n}`),
      ...(entry.acs ?? []),
    ].join(" "),
  );
}

const HAYSTACKS = new Map<ErrorCode, string>(errorCodes.map((code) => [code, haystack(code)]));

const ACS_CODES = errorCodes.flatMap((code) =>
  ((catalogue[code] as CatalogueEntry).acs ?? []).map((acs) => [acs, code] as const),
);

/** The codes a query names explicitly (AADSTS numbers, ACS codes, catalogue codes). */
function explicitCodes(query: string): ErrorCode[] {
  const found = new Set<ErrorCode>();
  for (const match of query.matchAll(/(?:AADSTS)?(\d{5,7})\b/gi)) {
    const code = match[1] ? codeForAadsts(match[1]) : undefined;
    if (code) found.add(code);
  }
  for (const [acs, code] of ACS_CODES) {
    if (new RegExp(`\\b${acs}\\b`).test(query)) found.add(code);
  }
  for (const word of query.match(/[A-Z][A-Z_]{3,}/g) ?? []) {
    if (isErrorCode(word)) found.add(word);
  }
  const acsCode = /"code"\s*:\s*"([A-Za-z]+)"/.exec(query)?.[1];
  const fromJson = acsCode ? codeForAcsError(acsCode) : undefined;
  if (fromJson) found.add(fromJson);
  return [...found];
}

/** Entries matching the query, best first; an empty query matches everything. */
export function searchCatalogue(rawQuery: string): ErrorCode[] {
  const query = rawQuery.slice(0, MAX_QUERY).trim();
  if (query === "") return [...errorCodes];

  const explicit = explicitCodes(query);
  if (explicit.length > 0) return explicit;

  const text = normalise(query).replace(/[.:;!?]+$/, "");
  if (text.length >= 3) {
    const phrase = errorCodes.filter((code) => HAYSTACKS.get(code)?.includes(text));
    if (phrase.length > 0) return phrase;
  }

  const words = [...new Set(text.split(/[^a-z0-9_.-]+/).map((w) => w.replace(/^[.-]+|[.-]+$/g, "")))].filter(
    (w) => w.length >= 3 && !STOP_WORDS.has(w),
  );
  if (words.length === 0) return [];
  const scored = errorCodes
    .map((code) => {
      const hay = HAYSTACKS.get(code) ?? "";
      return { code, score: words.filter((w) => hay.includes(w)).length };
    })
    .filter(({ score }) => score > 0 && score >= Math.ceil(words.length / 2))
    .sort((a, b) => b.score - a.score);
  return scored.map(({ code }) => code);
}
