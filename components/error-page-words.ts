/** The error page's heading and way out for the section the failing page belongs to. */
export function errorPageWordsFor(pathname: string): {
  heading?: string;
  back?: { href: string; label: string };
} {
  const within = (section: string) => pathname === section || pathname.startsWith(`${section}/`);
  // The token page: the person's next step is to retry or to look the problem up.
  if (within("/token")) {
    return {
      heading: "Your Teams token page could not be shown",
      back: { href: "/troubleshoot", label: "Troubleshooting" },
    };
  }
  // A set-up or diagnostics page: back to the public set-up guide.
  if (within("/admin")) {
    return {
      heading: "This set-up page could not be shown",
      back: { href: "/admin", label: "Back to the set-up guide" },
    };
  }
  return {};
}
