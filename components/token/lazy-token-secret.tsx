"use client";

import { type ComponentProps, lazy, Suspense } from "react";
import type { TokenSecret as Secret } from "./token-secret";

const TokenSecret = lazy(() => import("./token-secret").then((module) => ({ default: module.TokenSecret })));

/** The token field and its buttons: their script loads once a token is handed over, not with every page view. */
export function LazyTokenSecret(props: ComponentProps<typeof Secret>) {
  return (
    <Suspense fallback={<p className="text-sm text-slate-500 dark:text-slate-400">{props.hidden}</p>}>
      <TokenSecret {...props} />
    </Suspense>
  );
}
