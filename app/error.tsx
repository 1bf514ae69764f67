"use client";

import { usePathname } from "next/navigation";
import { ErrorPage, type ErrorPageProps } from "@/components/error-page";
import { errorPageWordsFor } from "@/components/error-page-words";

/**
 * Any page's unexpected error, inside the portal's layout (header, navigation, footer), with the words of its
 * section. One boundary rather than one per section: each boundary is a script of its own on every page below it.
 */
export default function RootError(props: ErrorPageProps) {
  return <ErrorPage {...props} {...errorPageWordsFor(usePathname() ?? "/")} />;
}
