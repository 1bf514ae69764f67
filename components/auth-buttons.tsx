import { cookies } from "next/headers";
import { LOGIN_DOMAIN_COOKIE } from "@/app/lib/login-domain";
import { signIn, signOut } from "@/auth";

/** Plain forms with server actions: sign-in and sign-out work without client JavaScript. */
export function SignInButton({
  redirectTo = "/token",
  label = "Sign in",
}: {
  redirectTo?: string;
  label?: string;
}) {
  return (
    <form
      action={async () => {
        "use server";
        // No work email typed here: a domain left from an earlier attempt must not name the wrong organization.
        (await cookies()).delete(LOGIN_DOMAIN_COOKIE);
        await signIn("microsoft-entra-id", { redirectTo });
      }}
    >
      <button type="submit" className="btn-primary">
        {label}
      </button>
    </form>
  );
}

export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/?signed-out=1" });
      }}
    >
      <button type="submit" className="btn-secondary">
        Sign out
      </button>
    </form>
  );
}
