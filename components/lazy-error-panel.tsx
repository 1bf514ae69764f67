"use client";

import { type ComponentProps, lazy, Suspense } from "react";
import type { ErrorPanel as Panel } from "./error-panel";

const ErrorPanel = lazy(() => import("./error-panel").then((module) => ({ default: module.ErrorPanel })));

/**
 * The error panel for forms that show an action's failure: its script (the panel, the remedy links) loads when there
 * is an error to show, not with every page view. Until it arrives, the error's title stands in.
 */
export function LazyErrorPanel(props: ComponentProps<typeof Panel>) {
  return (
    <Suspense
      fallback={<p className="text-sm font-semibold text-red-700 dark:text-red-300">{props.error.title}</p>}
    >
      <ErrorPanel {...props} />
    </Suspense>
  );
}
