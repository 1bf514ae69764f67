"use client";

import { ErrorPage, type ErrorPageProps } from "@/components/error-page";

/** A set-up or diagnostics page failed to render: back to the public set-up guide. */
export default function AdminError(props: ErrorPageProps) {
  return (
    <ErrorPage
      {...props}
      heading="This set-up page could not be shown"
      back={{ href: "/admin", label: "Back to the set-up guide" }}
    />
  );
}
