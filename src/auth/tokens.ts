import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, SignJWT } from "jose";
import { ExpiringMap } from "../shared/expiringMap.js";

export interface TokenSettings {
  /** HS256 shared secret for locally issued tokens. */
  secret: Uint8Array | null;
  /** Key set of an external identity provider (RS256/ES256). */
  jwks: JWTVerifyGetKey | null;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Tokens verified a moment ago; absent, every request verifies its token again. */
  verified?: VerifiedTokens | undefined;
}

/** Enough for every user of a province many times over; beyond it the oldest entry goes. */
const MAX_VERIFIED = 10_000;

/**
 * Subjects of tokens verified in the last few seconds, keyed by the whole token. Checking a signature is a fixed
 * cost on every request while a client sends the same token for hours; remembering a verified token for as long as
 * its viewer is remembered (ACTOR_CACHE_SECONDS) and never past its own expiry accepts nothing the verifier would
 * refuse, except a token whose signing key an identity provider withdrew within that window.
 */
export class VerifiedTokens {
  private readonly entries: ExpiringMap<string, string>;

  constructor(
    private readonly rememberMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.entries = new ExpiringMap(MAX_VERIFIED, now);
  }

  subjectOf(token: string): string | null {
    return this.entries.get(token) ?? null;
  }

  remember(token: string, subject: string, expiresAtSeconds: number | undefined): void {
    if (this.rememberMs <= 0) return;
    this.entries.set(
      token,
      subject,
      Math.min(this.now() + this.rememberMs, (expiresAtSeconds ?? Infinity) * 1000),
    );
  }
}

export class TokenError extends Error {
  override name = "TokenError";
}

const LOCAL_ISSUER = "reserve-ledger";

/**
 * Verifies a bearer token and returns its subject (the username). Any failure, expired, forged or malformed,
 * is the same TokenError: the caller answers UNAUTHENTICATED without saying which.
 */
export async function verifyToken(settings: TokenSettings, token: string): Promise<string> {
  const remembered = settings.verified?.subjectOf(token);
  if (remembered) return remembered;
  try {
    const options = { issuer: settings.issuer, audience: settings.audience };
    const { payload } = settings.jwks
      ? await jwtVerify(token, settings.jwks, { ...options, algorithms: ["RS256", "ES256"] })
      : await jwtVerify(token, settings.secret!, { ...options, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || payload.sub.length === 0)
      throw new TokenError("token has no subject");
    settings.verified?.remember(token, payload.sub, payload.exp);
    return payload.sub;
  } catch (e) {
    if (e instanceof TokenError) throw e;
    if (e instanceof errors.JOSEError) throw new TokenError(e.code);
    throw e;
  }
}

export async function signLocalToken(
  secret: Uint8Array,
  username: string,
  opts: { expiresIn?: string; issuer?: string | undefined; audience?: string | undefined } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(username)
    .setIssuedAt()
    .setIssuer(opts.issuer ?? LOCAL_ISSUER)
    .setExpirationTime(opts.expiresIn ?? "12h");
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(secret);
}

/** The configured secret, or one generated once into the data folder so tokens survive restarts. */
export async function resolveSecret(configured: string | undefined, dataDir: string): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const file = path.join(dataDir, "jwt-secret");
  try {
    return new TextEncoder().encode((await readFile(file, "utf8")).trim());
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(
    async (e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
    },
  );
  return new TextEncoder().encode((await readFile(file, "utf8")).trim());
}

export async function tokenSettings(config: {
  JWT_SECRET?: string | undefined;
  JWKS_URL?: string | undefined;
  JWT_ISSUER?: string | undefined;
  JWT_AUDIENCE?: string | undefined;
  /** How long a verified token is remembered, as long as its viewer is. */
  ACTOR_CACHE_SECONDS?: number | undefined;
  dataDir: string;
}): Promise<TokenSettings> {
  const verified = new VerifiedTokens((config.ACTOR_CACHE_SECONDS ?? 0) * 1000);
  if (config.JWKS_URL) {
    return {
      secret: null,
      jwks: createRemoteJWKSet(new URL(config.JWKS_URL)),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      verified,
    };
  }
  return {
    secret: await resolveSecret(config.JWT_SECRET, config.dataDir),
    jwks: null,
    issuer: config.JWT_ISSUER ?? LOCAL_ISSUER,
    audience: config.JWT_AUDIENCE,
    verified,
  };
}
