/**
 * Who is a portal administrator: a user whose ID token carries the configured app role (Entra puts the app roles
 * assigned to the user on the portal's app registration into the `roles` claim), or whose object id is listed.
 */

export interface AdminSettings {
  admins: { role: string; objectIds: readonly string[] };
}

export function isPortalAdmin(user: { roles: string[]; objectId: string }, config: AdminSettings): boolean {
  if (!user.objectId) return false;
  if (Array.isArray(user.roles) && user.roles.includes(config.admins.role)) return true;
  return config.admins.objectIds.includes(user.objectId.toLowerCase());
}
