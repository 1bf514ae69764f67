/**
 * Who acts on an error, and how the pages name them. Its own module (re-exported by lib/errors.ts) so that client
 * components can name the actor without shipping the whole catalogue to the browser.
 */

export type Actor = "user" | "customer-admin" | "app-admin";

export const actorLabel: Record<Actor, string> = {
  user: "You",
  "customer-admin": "An administrator of your organization",
  "app-admin": "The portal's administrator",
};
