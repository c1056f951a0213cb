import { describe, expect, it } from "vitest";
import { progress } from "../src/progress.js";

function fakeTerminal(isTTY = true) {
  const writes: string[] = [];
  return { writes, out: { isTTY, columns: 80, write: (s: string) => writes.push(s) } };
}

describe("progress bar (driven by a fake clock, no real time)", () => {
  it("draws nothing during the first second, then a bar, and clears the line at the end", () => {
    let now = 0;
    const t = fakeTerminal();
    const bar = progress("encrypting", 1000, { out: t.out, now: () => now });
    bar.update({ bytes: 100 });
    now = 999;
    bar.update({ bytes: 500 });
    expect(t.writes).toEqual([]);
    now = 1001;
    bar.update({ bytes: 500 });
    expect(t.writes).toHaveLength(1);
    const CLEAR = "\r\u001b[K";
    expect(t.writes[0]?.startsWith(CLEAR)).toBe(true);
    expect(t.writes[0]?.slice(CLEAR.length)).toMatch(/^encrypting \[#+-+\] 50% 500 B$/);
    now = 1050;
    bar.update({ bytes: 600 });
    expect(t.writes).toHaveLength(1); // redraws are throttled
    now = 1200;
    bar.update({ bytes: 2048, total: 4096 });
    expect(t.writes[1]).toContain("50% 2.0 KiB");
    bar.done();
    expect(t.writes.at(-1)).toBe("\r\x1b[K");
  });

  it("shows bytes only when the total is unknown", () => {
    let now = 0;
    const t = fakeTerminal();
    const bar = progress("decrypting", undefined, { out: t.out, now: () => now });
    now = 2000;
    bar.update({ bytes: 3 * 1024 * 1024 });
    expect(t.writes[0]).toBe("\r\x1b[Kdecrypting 3.0 MiB");
  });

  it("stays silent when stderr is not a terminal, and done() after no drawing writes nothing", () => {
    let now = 0;
    const t = fakeTerminal(false);
    const bar = progress("x", 10, { out: t.out, now: () => now });
    now = 5000;
    bar.update({ bytes: 5 });
    bar.done();
    expect(t.writes).toEqual([]);
    const t2 = fakeTerminal();
    const quick = progress("x", 10, { out: t2.out, now: () => 0 });
    quick.update({ bytes: 10 });
    quick.done();
    expect(t2.writes).toEqual([]);
  });
});
