/** How the portal's administrators are made: an app role on the portal's app registration, assigned to them. */
export function AdminRoleGuide({ role }: { role: string }) {
  const manifest = JSON.stringify(
    {
      appRoles: [
        {
          allowedMemberTypes: ["User"],
          description: "Sees this Teams Token Portal deployment's diagnostics.",
          displayName: "Teams Token Portal administrator",
          id: "<a new GUID>",
          isEnabled: true,
          value: role,
        },
      ],
    },
    null,
    2,
  );
  return (
    <section aria-labelledby="admin-role-title" className="card space-y-3" data-testid="admin-role-guide">
      <h2 id="admin-role-title" className="text-xl font-semibold">
        Who is a portal administrator
      </h2>
      <p className="text-sm">
        A user whose sign-in carries the <code className="code">{role}</code> app role. Microsoft Entra ID
        puts the app roles assigned to a user on the portal's app registration into the ID token's{" "}
        <code className="code">roles</code> claim.
      </p>
      <ol className="list-decimal space-y-1 pl-5 text-sm">
        <li>
          App registrations → the portal → <strong>App roles</strong> → Create app role: display name of your
          choice, allowed member types <strong>Users/Groups</strong>, value{" "}
          <code className="code">{role}</code>. Or add it to the app's manifest:
        </li>
        <li className="list-none">
          <pre className="code overflow-x-auto text-xs">{manifest}</pre>
        </li>
        <li>
          Enterprise applications → the portal → <strong>Users and groups</strong> → Add user/group → select
          the administrators and the role → Assign.
        </li>
        <li>They sign out and in again: the role is read at sign-in.</li>
      </ol>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Another role value can be set with <code className="code">ADMIN_ROLE</code>; a few object ids can be
        listed in <code className="code">ADMIN_OBJECT_IDS</code> instead (e.g. while the role is not assigned
        yet).
      </p>
    </section>
  );
}
