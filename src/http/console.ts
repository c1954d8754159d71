import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress as brotliCallback, gzip as gzipCallback } from "node:zlib";
import { acceptsGzip } from "./production.js";

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCallback);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".json", ".map"]);

interface Asset {
  mtimeMs: number;
  type: string;
  etag: string;
  body: Buffer;
  gzip: Buffer | null;
  brotli: Buffer | null;
}

/** Paths the console never answers: the API, probes, exports and the import keep their own 404s. */
const API_PATHS = /^\/(graphql|healthz|readyz|metrics|import|export)(\/|$)/;

const acceptsBrotli = (req: IncomingMessage) => /\bbr\b/.test(String(req.headers["accept-encoding"] ?? ""));

/** A browser opening /graphql itself, not a client's GET query. */
export const wantsPage = (req: IncomingMessage, url: URL): boolean =>
  req.method === "GET" && !url.searchParams.has("query") && /text\/html/.test(req.headers.accept ?? "");

/** A folder of built files, each read once (again when it changes) and kept with its br and gzip forms. */
function builtFiles(dir: string) {
  const root = path.resolve(dir);
  const cache = new Map<string, Asset>();
  return async function load(relative: string): Promise<Asset | null> {
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep)) return null;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(file);
    const ext = path.extname(file);
    const squeeze = COMPRESSIBLE.has(ext) && body.length > 1024;
    const asset: Asset = {
      mtimeMs: info.mtimeMs,
      type: TYPES[ext] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
      body,
      gzip: squeeze ? await gzip(body) : null,
      brotli: squeeze ? await brotli(body) : null,
    };
    cache.set(file, asset);
    return asset;
  };
}

const decoded = (pathname: string): string | null => {
  try {
    return path.normalize(decodeURIComponent(pathname));
  } catch {
    return null; // a malformed escape is no file of ours
  }
};

/**
 * The web console, built into `consoleDir` (web/dist) by `npm run web:build`, served from this process so it needs
 * no CDN and no second server. Hashed files under /assets/ are cached for a year; index.html is revalidated on
 * each load, so a new build reaches every browser on its next visit. Any other path without a file extension is
 * the console's own screen and gets index.html. Outside production `graphiqlDir` (web/graphiql/dist) is the
 * GraphiQL a browser gets at /graphql, its files under /graphiql/.
 */
export function consoleFiles(consoleDir: string, graphiqlDir: string | null = null) {
  const site = builtFiles(consoleDir);
  const graphiql = graphiqlDir ? builtFiles(graphiqlDir) : null;

  /** Answers the request if it is the console's (or GraphiQL's); false leaves it to the other routes. */
  return async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (graphiql && url.pathname === "/graphql" && wantsPage(req, url))
      return sendFound(req, res, await graphiql("index.html"), false);
    if (graphiql && url.pathname.startsWith("/graphiql/")) {
      const wanted = decoded(url.pathname.slice("/graphiql".length));
      return wanted !== null && sendFound(req, res, await graphiql(wanted), wanted.startsWith("/assets/"));
    }
    if (API_PATHS.test(url.pathname)) return false;
    const wanted = decoded(url.pathname);
    if (wanted === null) return false;
    const isScreen = path.extname(wanted) === "";
    const asset = await site(isScreen ? "index.html" : wanted);
    if (!asset && isScreen) {
      res.writeHead(503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(
        '<!doctype html><meta charset="utf-8"><p>控制台尚未构建：请运行 <code>npm run web:build</code>。</p>',
      );
      return true;
    }
    return sendFound(req, res, asset, url.pathname.startsWith("/assets/"));
  };
}

function sendFound(
  req: IncomingMessage,
  res: ServerResponse,
  asset: Asset | null,
  immutable: boolean,
): boolean {
  if (!asset) return false;
  send(req, res, asset, immutable);
  return true;
}

function send(req: IncomingMessage, res: ServerResponse, asset: Asset, immutable: boolean): void {
  res.setHeader("content-type", asset.type);
  res.setHeader("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.setHeader("etag", asset.etag);
  res.setHeader("x-content-type-options", "nosniff");
  if (asset.type.startsWith("text/html")) {
    // the console talks only to this origin: no inline script, no third-party source, no framing
    res.setHeader(
      "content-security-policy",
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'",
    );
  }
  if (asset.gzip) res.setHeader("vary", "accept-encoding");
  if (req.headers["if-none-match"] === asset.etag) {
    res.statusCode = 304;
    return void res.end();
  }
  const [encoding, body] =
    asset.brotli && acceptsBrotli(req)
      ? ["br", asset.brotli]
      : asset.gzip && acceptsGzip(req)
        ? ["gzip", asset.gzip]
        : [null, asset.body];
  if (encoding) res.setHeader("content-encoding", encoding);
  res.setHeader("content-length", body.length);
  res.statusCode = 200;
  res.end(req.method === "HEAD" ? undefined : body);
}
