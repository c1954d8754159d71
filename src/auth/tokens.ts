import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, SignJWT } from "jose";

export interface TokenSettings {
  /** HS256 shared secret for locally issued tokens. */
  secret: Uint8Array | null;
  /** Key set of an external identity provider (RS256/ES256). */
  jwks: JWTVerifyGetKey | null;
  issuer?: string | undefined;
  audience?: string | undefined;
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
  try {
    const options = { issuer: settings.issuer, audience: settings.audience };
    const { payload } = settings.jwks
      ? await jwtVerify(token, settings.jwks, { ...options, algorithms: ["RS256", "ES256"] })
      : await jwtVerify(token, settings.secret!, { ...options, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || payload.sub.length === 0)
      throw new TokenError("token has no subject");
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
  dataDir: string;
}): Promise<TokenSettings> {
  if (config.JWKS_URL) {
    return {
      secret: null,
      jwks: createRemoteJWKSet(new URL(config.JWKS_URL)),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    };
  }
  return {
    secret: await resolveSecret(config.JWT_SECRET, config.dataDir),
    jwks: null,
    issuer: config.JWT_ISSUER ?? LOCAL_ISSUER,
    audience: config.JWT_AUDIENCE,
  };
}
