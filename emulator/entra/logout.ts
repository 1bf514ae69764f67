import type { ServerResponse } from "node:http";
import { isLocalhostWebUrl } from "../data";
import { escapeHtml, redirect, sendHtml } from "../http";
import { resolveAuthority } from "./discovery";
import { ERR, page, sendEntraErrorPage } from "./errors";

/** GET /{tenant}/oauth2/v2.0/logout: back to post_logout_redirect_uri when it is on localhost (http or https), else a page. */
export function handleLogout(res: ServerResponse, segment: string, params: URLSearchParams) {
  if (!resolveAuthority(segment)) return sendEntraErrorPage(res, 400, ERR.tenantNotFound(segment));
  const target = params.get("post_logout_redirect_uri");
  if (target) {
    try {
      const url = new URL(target);
      if (isLocalhostWebUrl(url)) {
        const state = params.get("state");
        if (state) url.searchParams.set("state", state);
        return redirect(res, url.toString());
      }
    } catch {
      // fall through to the page
    }
  }
  sendHtml(
    res,
    200,
    page(
      "Signed out",
      `<h1>You signed out of your account</h1><p>${escapeHtml("It's a good idea to close all browser windows.")}</p>`,
    ),
  );
}
