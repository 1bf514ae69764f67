import {
  calculateJwkThumbprint,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Epoch ms after which a rotated-out key is no longer published nor accepted. */
  retireAt?: number;
}

/** RS256 signing keys of the Entra stand-in, with rotation and a grace period for the previous keys. */
export class KeyStore {
  private keys: SigningKey[] = [];

  constructor(private graceSeconds: number) {}

  static async create(graceSeconds: number): Promise<KeyStore> {
    const store = new KeyStore(graceSeconds);
    await store.rotate();
    return store;
  }

  setGraceSeconds(seconds: number): void {
    this.graceSeconds = seconds;
  }

  /** New key becomes the signing key; the previous ones stay published for the grace period. */
  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const retireAt = Date.now() + this.graceSeconds * 1000;
    for (const key of this.keys) key.retireAt ??= retireAt;
    this.keys.unshift({ kid, privateKey, publicJwk: { kty: jwk.kty, use: "sig", kid, n: jwk.n, e: jwk.e } });
    this.prune();
    return kid;
  }

  private prune(): void {
    const now = Date.now();
    this.keys = this.keys.filter((k) => k.retireAt === undefined || k.retireAt > now);
  }

  private current(): SigningKey {
    const key = this.keys[0];
    if (!key) throw new Error("no signing key");
    return key;
  }

  get currentKid(): string {
    return this.current().kid;
  }

  /** Published keys (current first), as Entra's JWKS lists them; `issuer` is added per key like Entra does. */
  jwks(issuer?: string): { keys: JWK[] } {
    this.prune();
    return { keys: this.keys.map((k) => (issuer ? { ...k.publicJwk, issuer } : { ...k.publicJwk })) };
  }

  /** `x5t`: also name the key by thumbprint, as Entra's access tokens do (same value as `kid`). */
  async sign(claims: JWTPayload, options: { x5t?: boolean } = {}): Promise<string> {
    const key = this.current();
    return new SignJWT(claims)
      .setProtectedHeader({
        typ: "JWT",
        alg: "RS256",
        ...(options.x5t ? { x5t: key.kid } : {}),
        kid: key.kid,
      })
      .sign(key.privateKey);
  }

  /** Verifies the signature against a published key; returns the payload without checking any claim. */
  async verifySignature(token: string): Promise<JWTPayload | null> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256" || typeof header.kid !== "string") return null;
      this.prune();
      const key = this.keys.find((k) => k.kid === header.kid);
      if (!key) return null;
      const publicKey = await importJWK({ ...key.publicJwk, alg: "RS256" }, "RS256");
      const { payload } = await compactVerify(token, publicKey);
      const claims = JSON.parse(new TextDecoder().decode(payload)) as unknown;
      return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as JWTPayload) : null;
    } catch {
      return null;
    }
  }
}
