// paceMemory exposes gc for the crypto engine's pacing, only for transfers big enough to need it.
import { expect, it } from "vitest";
import { paceMemory } from "../src/memory.js";

it("exposes gc for a big or unknown size, not for a small one", () => {
  const g = globalThis as { gc?: unknown };
  expect(typeof g.gc).toBe("undefined"); // vitest's worker does not expose it
  paceMemory(1024);
  expect(typeof g.gc).toBe("undefined");
  paceMemory();
  expect(typeof g.gc).toBe("function");
  (g.gc as (o: { type: string }) => void)({ type: "minor" });
});
