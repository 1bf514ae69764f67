import { signInWithHint } from "@/app/lib/sign-in";
import { auth } from "@/auth";
import { queryParam, type SearchParams } from "@/lib/http/query";
import { safeReturnPath } from "@/lib/http/return-path";

export default async function HomePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await auth();
  // Set when a page that needs sign-in sent the person here (app/lib/require-admin.ts).
  const returnTo = safeReturnPath(queryParam(await searchParams, "callbackUrl", 512), "");
  const signedOut = !session?.user && queryParam(await searchParams, "signed-out", 8) === "1";
  return (
    <div className="space-y-10">
      {signedOut ? (
        <p
          role="status"
          data-testid="signed-out"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-50"
        >
          You are signed out. Your session cookie is deleted from this browser; a Teams token you copied stays
          valid until it expires.
        </p>
      ) : null}
      <section className="space-y-4">
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">
          Your Teams identity, ready for your apps
        </h1>
        <p className="max-w-3xl text-lg text-slate-700 dark:text-slate-300">
          Sign in with your Microsoft 365 work account and this portal exchanges it, on the server, for an
          Azure Communication Services access token for Teams users — so that the organization's apps can
          place calls and chat as you. Your Microsoft Entra tokens never reach this browser.
        </p>
      </section>

      <section aria-labelledby="paths" className="space-y-4">
        <h2 id="paths" className="text-xl font-semibold">
          What brings you here?
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          <article className="card flex flex-col gap-3" aria-labelledby="path-user">
            <h3 id="path-user" className="text-lg font-semibold">
              I am a user
            </h3>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Get or renew your Teams token, see who you are signed in as and why something fails.
            </p>
            {session?.user ? (
              <a href="/token" className="btn-primary mt-auto">
                Go to my Teams token
              </a>
            ) : (
              <form action={signInWithHint} className="mt-auto space-y-2">
                {returnTo ? (
                  <>
                    <input type="hidden" name="callbackUrl" value={returnTo} />
                    <p className="text-sm font-medium" data-testid="sign-in-return">
                      Sign in to continue to <code className="code">{returnTo}</code>.
                    </p>
                  </>
                ) : null}
                <label htmlFor="email" className="block text-sm font-medium">
                  Work email{" "}
                  <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
                </label>
                <input
                  id="email"
                  name="email"
                  type="email"
                  autoComplete="email"
                  className="field"
                  placeholder="you@contoso.com"
                />
                <button type="submit" className="btn-primary w-full">
                  Sign in with Microsoft
                </button>
              </form>
            )}
          </article>
          <article className="card flex flex-col gap-3" aria-labelledby="path-app-admin">
            <h3 id="path-app-admin" className="text-lg font-semibold">
              I administer the app
            </h3>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              You run this portal for your company (Contoso): register the app, connect Azure Communication
              Services, and check what is still missing.
            </p>
            <a href="/admin" className="btn-secondary mt-auto">
              Open the set-up guide
            </a>
          </article>
          <article className="card flex flex-col gap-3" aria-labelledby="path-customer-admin">
            <h3 id="path-customer-admin" className="text-lg font-semibold">
              I administer a customer tenant
            </h3>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Your users (e.g. at Fabrikam) need this app: grant admin consent, or add the missing Azure
              Communication Services service principal.
            </p>
            <a href="/consent" className="btn-secondary mt-auto">
              Grant admin consent
            </a>
          </article>
        </div>
      </section>
    </div>
  );
}
