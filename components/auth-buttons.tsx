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
        await signOut({ redirectTo: "/" });
      }}
    >
      <button type="submit" className="btn-secondary">
        Sign out
      </button>
    </form>
  );
}
