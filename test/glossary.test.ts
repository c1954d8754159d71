import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// docs/glossary.md names each concept's code and the file it lives in; a rename that forgets the glossary fails here
const root = path.resolve(import.meta.dirname, "..");
const rows = readFileSync(path.join(root, "docs/glossary.md"), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("| ") && !l.startsWith("| Chinese") && !l.startsWith("| ---"))
  .map((l) =>
    l
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim()),
  )
  .map(([chinese, , code, file]) => ({ chinese: chinese!, code: code!, file: file! }));
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$/;

describe("the glossary says where each concept lives", () => {
  it("has a row per concept, each naming a file", () => {
    expect(rows.length).toBeGreaterThan(80);
    expect(rows.filter((r) => ticked(r.file).length === 0).map((r) => r.chinese)).toEqual([]);
  });

  it("every file it names exists under src/", () => {
    const missing = rows.flatMap((r) =>
      ticked(r.file)
        .filter((f) => !existsSync(path.join(root, "src", f)))
        .map((f) => `${r.chinese}: ${f}`),
    );
    expect(missing).toEqual([]);
  });

  it("each code name appears in one of the row's files", () => {
    const text = (f: string) => {
      const full = path.join(root, "src", f);
      return statSync(full).isDirectory() ? "" : readFileSync(full, "utf8");
    };
    const absent = rows.flatMap((r) => {
      const files = ticked(r.file)
        .filter((f) => existsSync(path.join(root, "src", f)))
        .map(text);
      return ticked(r.code)
        .filter((n) => identifier.test(n))
        .filter((n) => !files.some((t) => new RegExp(`\\b${n.split(".")[0]}\\b`).test(t)))
        .map((n) => `${r.chinese}: ${n}`);
    });
    expect(absent).toEqual([]);
  });
});
