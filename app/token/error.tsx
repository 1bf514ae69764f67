"use client";

import { ErrorPage, type ErrorPageProps } from "@/components/error-page";

/** The token page failed to render: the person's next step is to retry or to look the problem up. */
export default function TokenError(props: ErrorPageProps) {
  return (
    <ErrorPage
      {...props}
      heading="Your Teams token page could not be shown"
      back={{ href: "/troubleshoot", label: "Troubleshooting" }}
    />
  );
}
