"use client";

import { usePathname } from "next/navigation";

const NAV = [
  { href: "/token", label: "My Teams token" },
  { href: "/admin", label: "Set-up" },
  { href: "/consent", label: "Admin consent" },
  { href: "/troubleshoot", label: "Troubleshoot" },
  { href: "/developers", label: "Developers" },
];

/** True when `pathname` is the item's page or one below it (/admin/service-principal is under Set-up). */
export function isCurrent(href: string, pathname: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The main navigation; the page you are on is marked for sight (underline) and for screen readers. */
export function NavLinks() {
  const pathname = usePathname() ?? "/";
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm lg:flex-nowrap">
      {NAV.map((item) => {
        const current = isCurrent(item.href, pathname);
        return (
          <li key={item.href}>
            <a
              href={item.href}
              aria-current={current ? "page" : undefined}
              className={`inline-block whitespace-nowrap py-1 underline-offset-8 hover:text-brand-700 dark:hover:text-white ${
                current
                  ? "font-semibold text-brand-700 underline decoration-2 dark:text-white"
                  : "text-slate-700 dark:text-slate-300"
              }`}
            >
              {item.label}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
