import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { IncomingMessage, ServerResponse } from "node:http";

const gzip = promisify(gzipCallback);

// below this a gzip header and a CPU round trip cost more than they save
const MIN_COMPRESSED_BYTES = 1024;

/** Whether the client takes gzip (Accept-Encoding: gzip, not with q=0). */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  if (!header) return false;
  return header
    .split(",")
    .map((part) => part.trim().toLowerCase().split(";"))
    .some(([coding, q]) => (coding === "gzip" || coding === "*") && !/^\s*q=0(\.0*)?\s*$/.test(q ?? ""));
}

/** Ends a complete response, gzipped when asked for, allowed and worth it. */
export async function endBody(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  compression: boolean,
): Promise<void> {
  if (!compression) return void res.end(body);
  res.setHeader("vary", appendVary(res.getHeader("vary"), "accept-encoding"));
  const bytes = Buffer.from(body, "utf8");
  if (bytes.length < MIN_COMPRESSED_BYTES || !acceptsGzip(req) || res.getHeader("content-encoding"))
    return void res.end(bytes);
  const zipped = await gzip(bytes);
  res.setHeader("content-encoding", "gzip");
  res.setHeader("content-length", zipped.length);
  res.end(zipped);
}

function appendVary(current: number | string | string[] | undefined, value: string): string {
  const parts = (Array.isArray(current) ? current.join(",") : String(current ?? ""))
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  return parts.some((v) => v.toLowerCase() === value) ? parts.join(", ") : [...parts, value].join(", ");
}

const ALLOWED_HEADERS = "authorization, content-type, x-request-id, apollo-require-preflight";

/**
 * CORS for the allow-listed browser origins only (CORS_ORIGINS; none by default, so no browser page of another
 * origin can read answers). Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
  if (allowed.length === 0 || !origin) return false;
  res.setHeader("vary", appendVary(res.getHeader("vary"), "origin"));
  if (!allowed.includes(origin)) {
    if (!preflight) return false;
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
    res.end("origin not allowed\n");
    return true;
  }
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-expose-headers", "x-request-id, retry-after");
  if (!preflight) return false;
  res.writeHead(204, {
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
  });
  res.end();
  return true;
}
