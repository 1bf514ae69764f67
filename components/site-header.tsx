import Link from "next/link";
import { auth } from "@/auth";
import { SignInButton, SignOutButton } from "./auth-buttons";

const NAV = [
  { href: "/token", label: "My Teams token" },
  { href: "/admin", label: "Set-up" },
  { href: "/consent", label: "Admin consent" },
  { href: "/troubleshoot", label: "Troubleshoot" },
  { href: "/developers", label: "Developers" },
];

export async function SiteHeader() {
  const session = await auth();
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <Link href="/" className="text-base font-bold tracking-tight">
          Teams Token Portal
        </Link>
        <nav aria-label="Main" className="flex flex-1 flex-wrap gap-x-4 gap-y-1 text-sm">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className="text-slate-700 hover:text-brand-700 dark:text-slate-300 dark:hover:text-white"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        {session?.user ? (
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline dark:text-slate-300" data-testid="signed-in-as">
              {session.user.username ?? session.user.name}
            </span>
            <SignOutButton />
          </div>
        ) : (
          <SignInButton />
        )}
      </div>
    </header>
  );
}
