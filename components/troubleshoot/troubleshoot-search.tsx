"use client";

import { useRef, useState } from "react";
import { MAX_QUERY } from "./max-query";

/**
 * The catalogue and its search load on the first keystroke, not with the page: the page itself is rendered and
 * filtered on the server, so its script stays within budget (tests/e2e/page-weight.spec.ts).
 */
let searchModule: Promise<typeof import("./search")> | undefined;
const loadSearch = () => {
  searchModule ??= import("./search");
  return searchModule;
};

function countText(count: number, total: number, query: string): string {
  if (query.trim() === "") return `All ${total} known errors.`;
  if (count === 0) return "Nothing matched. Try the AADSTS number or a few words of the message.";
  return count === 1 ? "1 error matches." : `${count} errors match.`;
}

/**
 * A GET form (`?q=`), filtered on the server without JavaScript; with JavaScript, the list also filters as you type
 * by hiding the server-rendered entries.
 */
export function TroubleshootSearch({
  initialQuery,
  initialCount,
  total,
}: {
  initialQuery: string;
  initialCount: number;
  total: number;
}) {
  const [query, setQuery] = useState(initialQuery);
  const [count, setCount] = useState(initialCount);
  const latest = useRef(initialQuery);

  async function filter(value: string) {
    setQuery(value);
    latest.current = value;
    const { searchCatalogue } = await loadSearch();
    // Keys typed while the search loaded: only the box's current text filters the list.
    if (latest.current !== value) return;
    const matches = new Set<string>(searchCatalogue(value));
    for (const element of document.querySelectorAll<HTMLElement>("[data-entry]")) {
      element.hidden = !matches.has(element.dataset.entry ?? "");
    }
    for (const group of document.querySelectorAll<HTMLElement>("[data-group]")) {
      group.hidden = group.querySelector("[data-entry]:not([hidden])") === null;
    }
    setCount(matches.size);
  }

  return (
    <search>
      <form method="get" action="/troubleshoot" className="card space-y-3">
        <label htmlFor="troubleshoot-q" className="block text-sm font-medium">
          Error code or message
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="troubleshoot-q"
            name="q"
            type="search"
            className="field"
            value={query}
            onChange={(event) => void filter(event.target.value)}
            maxLength={MAX_QUERY}
            placeholder="AADSTS65001, InvalidAccessToken, or paste the message"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="troubleshoot-count"
          />
          <button type="submit" className="btn-primary shrink-0">
            Search
          </button>
        </div>
        <p
          id="troubleshoot-count"
          aria-live="polite"
          className="text-sm text-slate-600 dark:text-slate-300"
          data-testid="match-count"
        >
          {countText(count, total, query)}
        </p>
      </form>
    </search>
  );
}
