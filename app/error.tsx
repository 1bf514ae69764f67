"use client";

import { ErrorPage, type ErrorPageProps } from "@/components/error-page";

/** Any page's unexpected error, inside the portal's layout (header, navigation, footer). */
export default function RootError(props: ErrorPageProps) {
  return <ErrorPage {...props} />;
}
