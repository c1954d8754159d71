import { describe, expect, it } from "vitest";
import { ExpiringMap } from "../src/shared/expiringMap.js";

describe("a bounded memory with lifetimes", () => {
  it("answers an entry until its instant and not from then on", () => {
    let now = 100;
    const m = new ExpiringMap<string, string>(10, () => now);
    m.set("a", "A", 200);
    now = 199;
    expect(m.get("a")).toBe("A");
    now = 200;
    expect(m.get("a")).toBeUndefined();
  });

  it("when full, forgets the entry written longest ago; writing an entry again makes it the newest", () => {
    const m = new ExpiringMap<string, number>(2, () => 0);
    m.set("a", 1, 10);
    m.set("b", 2, 10);
    m.set("a", 3, 10); // a is now newer than b
    m.set("c", 4, 10);
    expect([m.get("a"), m.get("b"), m.get("c")]).toEqual([3, undefined, 4]);
    m.clear();
    expect(m.get("a")).toBeUndefined();
  });
});
