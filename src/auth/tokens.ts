import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  SignJWT,
} from "jose";
import { ExpiringMap } from "../shared/expiringMap.js";

export interface TokenSettings {
  /** HS256 shared secret for locally issued tokens; with an identity provider, only signIn's session tokens. */
  secret: Uint8Array | null;
  /** Key set of an external identity provider (RS256/ES256). */
  jwks: JWTVerifyGetKey | null;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Tokens verified a moment ago; absent, every request verifies its token again. */
  verified?: VerifiedTokens | undefined;
  /** Lifetime of the access tokens signIn and refreshSession answer. */
  accessTokenMinutes?: number | undefined;
}

/** What a verified token says: who, when it was issued, and the sign-in session it belongs to (signIn's only). */
export interface VerifiedClaims {
  subject: string;
  /** Seconds since the epoch; absent when the issuer did not say. */
  issuedAt: number | undefined;
  sessionId: number | undefined;
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
  private readonly entries: ExpiringMap<string, VerifiedClaims>;

  constructor(
    private readonly rememberMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.entries = new ExpiringMap(MAX_VERIFIED, now);
  }

  subjectOf(token: string): string | null {
    return this.entries.get(token)?.subject ?? null;
  }

  claimsOf(token: string): VerifiedClaims | null {
    return this.entries.get(token) ?? null;
  }

  remember(token: string, claims: VerifiedClaims | string, expiresAtSeconds: number | undefined): void {
    if (this.rememberMs <= 0) return;
    this.entries.set(
      token,
      typeof claims === "string" ? { subject: claims, issuedAt: undefined, sessionId: undefined } : claims,
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
  return (await verifyClaims(settings, token)).subject;
}

/**
 * Beside an identity provider, the local secret still verifies the session tokens signIn issued (they carry
 * `sid`): people without an account there sign in with a password. Other HS256 tokens are refused.
 */
export async function verifyClaims(settings: TokenSettings, token: string): Promise<VerifiedClaims> {
  const remembered = settings.verified?.claimsOf(token);
  if (remembered) return remembered;
  try {
    const options = { issuer: settings.issuer, audience: settings.audience };
    const local = settings.jwks && settings.secret ? localSessionToken(token) : false;
    const { payload } =
      settings.jwks && !local
        ? await jwtVerify(token, settings.jwks, { ...options, algorithms: ["RS256", "ES256"] })
        : await jwtVerify(token, settings.secret!, {
            ...options,
            ...(local ? { issuer: LOCAL_ISSUER } : {}),
            algorithms: ["HS256"],
          });
    if (typeof payload.sub !== "string" || payload.sub.length === 0)
      throw new TokenError("token has no subject");
    if (!plausibleSubject(payload.sub)) throw new TokenError("token subject is not a username");
    const sid = payload.sid;
    if (local && typeof sid !== "number") throw new TokenError("local token without a session");
    const claims: VerifiedClaims = {
      subject: payload.sub,
      issuedAt: payload.iat,
      sessionId: typeof sid === "number" ? sid : undefined,
    };
    settings.verified?.remember(token, claims, payload.exp);
    return claims;
  } catch (e) {
    if (e instanceof TokenError) throw e;
    if (e instanceof errors.JOSEError) throw new TokenError(e.code);
    throw e;
  }
}

/** Longer than any username or identity-provider subject; a subject beyond it names nobody. */
export const MAX_SUBJECT_LENGTH = 255;

/**
 * A signed token may still carry a subject no user can have: a control character (PostgreSQL refuses NUL in text)
 * or a page of text. Such a token names nobody, so it is refused like any other bad token, before a lookup.
 */
function plausibleSubject(subject: string): boolean {
  return subject.length <= MAX_SUBJECT_LENGTH && !/\p{Cc}/u.test(subject);
}

/** Whether an unverified token claims to be one of ours: HS256 from the local issuer. Verification follows. */
function localSessionToken(token: string): boolean {
  try {
    const header = decodeProtectedHeader(token);
    return header.alg === "HS256" && decodeJwt(token).iss === LOCAL_ISSUER;
  } catch {
    return false;
  }
}

export async function signLocalToken(
  secret: Uint8Array,
  username: string,
  opts: {
    expiresIn?: string;
    issuer?: string | undefined;
    audience?: string | undefined;
    sessionId?: number;
  } = {},
): Promise<string> {
  let jwt = new SignJWT(opts.sessionId === undefined ? {} : { sid: opts.sessionId })
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
  ACCESS_TOKEN_MINUTES?: number | undefined;
  dataDir: string;
}): Promise<TokenSettings> {
  const verified = new VerifiedTokens((config.ACTOR_CACHE_SECONDS ?? 0) * 1000);
  const secret = await resolveSecret(config.JWT_SECRET, config.dataDir);
  const accessTokenMinutes = config.ACCESS_TOKEN_MINUTES ?? 15;
  if (config.JWKS_URL) {
    return {
      secret,
      jwks: createRemoteJWKSet(new URL(config.JWKS_URL)),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      verified,
      accessTokenMinutes,
    };
  }
  return {
    secret,
    jwks: null,
    issuer: config.JWT_ISSUER ?? LOCAL_ISSUER,
    audience: config.JWT_AUDIENCE,
    verified,
    accessTokenMinutes,
  };
}

/** The access token of a sign-in session: short-lived, naming its session so a password change can spare it. */
export async function signSessionToken(
  settings: TokenSettings,
  username: string,
  sessionId: number,
  issuedAt: Date,
): Promise<{ token: string; expiresAt: Date }> {
  if (!settings.secret) throw new Error("no local secret to sign session tokens with");
  const minutes = settings.accessTokenMinutes ?? 15;
  // jose stamps iat from the real clock; the expiry the client is told follows the same clock
  const expiresAt = new Date(Math.max(issuedAt.getTime(), Date.now()) + minutes * 60_000);
  const token = await signLocalToken(settings.secret, username, {
    expiresIn: `${minutes * 60}s`,
    issuer: settings.jwks ? LOCAL_ISSUER : settings.issuer,
    audience: settings.audience,
    sessionId,
  });
  return { token, expiresAt };
}
