import type { EmulatorConfig } from "./config";
import type { KeyStore } from "./entra/keys";
import type { EmulatorState } from "./state";

/** What every handler needs: configuration, state and keys of one emulator instance. */
export interface Context {
  config: EmulatorConfig;
  state: EmulatorState;
  /** Entra stand-in signing keys (id tokens, access tokens, managed identity tokens). */
  keys: KeyStore;
  /** Keys that sign the ACS tokens returned by the exchange. */
  acsKeys: KeyStore;
  /** Keys of the Vercel OIDC issuer stand-in (emulator/vercel/oidc.ts). */
  vercelKeys: KeyStore;
  /** Public origin, no trailing slash (EMULATOR_PUBLIC_URL or http://localhost:<port>). */
  publicUrl: () => string;
}
