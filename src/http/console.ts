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

/**
 * The web console, built into `dir` (web/dist) by `npm run web:build`, served from this process so it needs no CDN
 * and no second server. Hashed files under /assets/ are cached for a year; index.html is revalidated on each load,
 * so a new build reaches every browser on its next visit. Any other path without a file extension is the
 * console's own screen and gets index.html.
 */
export function consoleFiles(dir: string) {
  const cache = new Map<string, Asset>();

  async function load(file: string): Promise<Asset | null> {
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
  }

  /** Answers the request if it is the console's; false leaves it to the other routes. */
  return async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if ((req.method !== "GET" && req.method !== "HEAD") || API_PATHS.test(pathname)) return false;
    let wanted: string;
    try {
      wanted = path.normalize(decodeURIComponent(pathname));
    } catch {
      return false; // a malformed escape is no file of the console's
    }
    const isScreen = path.extname(wanted) === "";
    const file = path.join(dir, isScreen ? "index.html" : wanted);
    if (!file.startsWith(path.resolve(dir) + path.sep)) return false;
    const asset = await load(file);
    if (!asset) {
      if (!isScreen) return false;
      res.writeHead(503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(
        '<!doctype html><meta charset="utf-8"><p>控制台尚未构建：请运行 <code>npm run web:build</code>。</p>',
      );
      return true;
    }
    send(req, res, asset, pathname.startsWith("/assets/"));
    return true;
  };
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
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
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
