import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 1_000_000;

/** How long a refused upload may go on being read and discarded before the connection is closed under it. */
const LINGER_MS = 5_000;

/** `application/json`, with or without parameters (`; charset=utf-8`); `application/jsonx` is not JSON. */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * The request body as text, or null once it passes `limit`. Past the limit the rest is read and dropped rather
 * than left unread: destroying the request would reset the connection before the client could read the 413.
 */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  return (await readBytes(req, limit))?.toString("utf8") ?? null;
}

/** The request body as bytes (an uploaded file), or null once it passes `limit`, read on as readBody says. */
export function readBytes(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.off("end", onEnd);
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

/**
 * 413 with `Connection: close`, sent while the client may still be uploading. The response is complete on the wire
 * at once (its length is stated), but the connection ends only when the upload does, or after LINGER_MS: closed
 * earlier, the unread upload would make the kernel reset it and the client would see ECONNRESET, not the 413.
 */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(413, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    connection: "close",
  });
  res.write(text);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(end, LINGER_MS);
  timer.unref();
  if (req.readableEnded) return end();
  req.once("end", end);
  req.once("close", end);
}
