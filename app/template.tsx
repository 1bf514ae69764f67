import { connection } from "next/server";
import type { ReactNode } from "react";

/**
 * Renders per request, like the root layout (see there why: the CSP nonce), and also where the layout does not
 * reach: Next's built-in 500 page (`/_global-error`, served for errors that escape rendering) has no layout but
 * keeps this template. Without it, Next prerenders that page at build time, with scripts that carry no nonce and
 * that the browser therefore blocks.
 */
export default async function RootTemplate({ children }: { children: ReactNode }) {
  await connection();
  return children;
}
