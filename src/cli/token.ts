import { signLocalToken, resolveSecret } from "../auth/tokens.js";
import { ConfigError, loadConfig } from "../config.js";

// `npm run token -- <username> [--expires 12h]`: a bearer token for a local user, signed with the same secret
// the service verifies with (JWT_SECRET, or the one generated into the data folder).
try {
  const config = loadConfig();
  // a token minted on the server bypasses passwords, locks and sessions: for development and tests only
  if (config.NODE_ENV === "production")
    throw new ConfigError("refused with NODE_ENV=production: sign in with signIn instead");
  const args = process.argv.slice(2);
  const username = args.find((a) => !a.startsWith("--"));
  const expiresAt = args.indexOf("--expires");
  if (!username) throw new ConfigError("usage: npm run token -- <username> [--expires 12h]");
  if (config.JWKS_URL) throw new ConfigError("JWKS_URL is set: tokens come from your identity provider");
  const secret = await resolveSecret(config.JWT_SECRET, config.dataDir);
  const token = await signLocalToken(secret, username, {
    expiresIn: expiresAt >= 0 ? args[expiresAt + 1] : undefined,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  console.log(token);
} catch (e) {
  console.error(`token: ${(e as Error).message}`);
  process.exit(1);
}
