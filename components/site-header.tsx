import { auth } from "@/auth";
import { SignInButton, SignOutButton } from "./auth-buttons";
import { NavLinks } from "./nav-links";

/**
 * One row from 1024 px (a long user name is cut with an ellipsis, never wrapping the row); below, the brand and
 * the account on the first row and the navigation on its own row.
 */
export async function SiteHeader() {
  const session = await auth();
  const who = session?.user ? (session.user.username ?? session.user.name ?? "") : null;
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6 lg:flex-nowrap">
        <a href="/" className="shrink-0 text-base font-bold tracking-tight">
          Teams Token Portal
        </a>
        <nav aria-label="Main" className="order-last w-full lg:order-none lg:w-auto lg:flex-1 lg:shrink-0">
          <NavLinks />
        </nav>
        <div className="ml-auto flex min-w-0 shrink items-center gap-3 text-sm lg:ml-0">
          {who !== null ? (
            <>
              <span
                className="hidden min-w-0 max-w-[11rem] truncate text-slate-600 sm:inline dark:text-slate-300"
                title={who}
                data-testid="signed-in-as"
              >
                {who}
              </span>
              <div className="shrink-0">
                <SignOutButton />
              </div>
            </>
          ) : (
            <SignInButton />
          )}
        </div>
      </div>
    </header>
  );
}
