import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engine } from "./support/engine.js";
import { aCounty, type County } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

type Line = Record<string, unknown>;
const lines: Line[] = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString("utf8").split("\n")) if (text) lines.push(JSON.parse(text) as Line);
    done();
  },
});

let svc: TestService;
let county: County;
let token: string;
beforeAll(async () => {
  svc = await startTestService({ logger: pino({ level: "info" }, destination) });
  county = await aCounty(svc);
  token = await svc.token(county.officer);
});
afterAll(() => svc.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(svc.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });

/** The access-log lines of one request id (they are written when the response finishes). */
async function logged(requestId: string): Promise<Line[]> {
  for (let i = 0; i < 50; i++) {
    const found = lines.filter((l) => l.requestId === requestId);
    if (found.some((l) => l.msg === "request")) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return lines.filter((l) => l.requestId === requestId);
}

describe("one access-log line per request", () => {
  it("names method, path, operation, status, duration, user and the request id it returns", async () => {
    const res = await post({ query: "query MyDepots { depots(first: 1) { nodes { code } } }" });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const found = (await logged(id)).filter((l) => l.msg === "request");
    expect(found).toEqual([
      expect.objectContaining({
        requestId: id,
        method: "POST",
        path: "/graphql",
        operation: "MyDepots",
        status: 200,
        durationMs: expect.any(Number),
        user: county.officer,
      }),
    ]);
    // the log keeps for years: no token, no query text, no variables
    expect(JSON.stringify(found)).not.toMatch(/Bearer|authorization|depots\(/);
  });

  it("keeps a sane incoming X-Request-Id and replaces one that is not", async () => {
    const kept = await post({ query: "{ me { roles } }" }, { "x-request-id": "lb-7f3a.42" });
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a.42");
    expect((await logged("lb-7f3a.42")).find((l) => l.msg === "request")).toMatchObject({
      operation: "anonymous",
      status: 200,
    });
    const hostile = "bad id\twith spaces and a very long tail".padEnd(300, "x");
    const replaced = await post({ query: "{ me { roles } }" }, { "x-request-id": hostile });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(lines)).not.toContain("bad id");
  });

  it("logs requests outside GraphQL too, without the query string", async () => {
    // a file the console does not have: any other path without an extension is one of its screens
    const res = await fetch(svc.url.replace(/\/graphql$/, "/nowhere.txt?token=secret"));
    expect(res.status).toBe(404);
    const line = (await logged(res.headers.get("x-request-id")!)).find((l) => l.msg === "request");
    expect(line).toMatchObject({ method: "GET", path: "/nowhere.txt", status: 404 });
    expect(line).not.toHaveProperty("user");
    expect(JSON.stringify(lines)).not.toContain("secret");
  });

  // last: it takes the database away
  it("a masked internal error carries the request id that finds its cause in the log", async () => {
    await svc.database.close();
    const res = await post({ query: "query Broken { depots(first: 1) { nodes { code } } }" });
    const id = res.headers.get("x-request-id")!;
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    // PostgreSQL's closed pool is the database gone (503); PGlite's closed instance is an internal error
    expect(body.errors[0]).toMatchObject(
      engine === "postgres"
        ? {
            message: "the database is unavailable",
            extensions: { code: "SERVICE_UNAVAILABLE", requestId: id },
          }
        : { message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: id } },
    );
    const found = await logged(id);
    // the cause, in full, under the same id as the access line
    expect(found.find((l) => l.msg !== "request")).toMatchObject({ requestId: id, err: expect.any(Object) });
    expect(found.find((l) => l.msg === "request")).toMatchObject({ status: res.status });

    // a viewer not yet remembered is read before any resolver runs: the failure to read it carries its id too
    const auditor = await post(
      { query: "{ me { roles } }" },
      { authorization: `Bearer ${await svc.token(county.auditor)}` },
    );
    const auditorId = auditor.headers.get("x-request-id")!;
    const refused = (await auditor.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(refused.errors[0]!.extensions).toMatchObject({
      code: engine === "postgres" ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR",
      requestId: auditorId,
    });
    expect((await logged(auditorId)).find((l) => l.msg !== "request")).toMatchObject({
      requestId: auditorId,
    });
  });
});
