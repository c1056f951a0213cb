import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { byteOrder, FsError, fsError, kindOf, walk } from "../src/index.js";

describe("errno kinds", () => {
  it.each([
    ["ENOENT", "not-found"],
    ["EACCES", "permission"],
    ["EPERM", "permission"],
    ["EEXIST", "exists"],
    ["ENOSPC", "no-space"],
    ["EDQUOT", "no-space"],
    ["EBUSY", "busy"],
    ["EIO", "other"],
    [undefined, "other"],
  ])("%s is %s", (errno, kind) => {
    expect(kindOf(errno)).toBe(kind);
  });

  it("keeps errno, syscall, the user's path and the cause", () => {
    const cause = Object.assign(new Error("x"), {
      code: "ENOSPC",
      syscall: "write",
      path: "/t/.f.dms-1-aaaaaaaaaaaa.tmp",
    });
    const e = fsError(cause, "/t/f", "write");
    expect(e).toBeInstanceOf(FsError);
    expect([e.kind, e.errno, e.syscall, e.path, e.cause]).toEqual([
      "no-space",
      "ENOSPC",
      "write",
      "/t/f",
      cause,
    ]);
    expect(e.message).toBe("cannot write /t/f: no space left on the device (ENOSPC)");
    expect(fsError(e, "/other", "read")).toBe(e);
  });
});

describe("walk", () => {
  it("lists parents before children, names in UTF-8 byte order, links unfollowed", async () => {
    const d = mkdtempSync(join(tmpdir(), "dms-walk-"));
    try {
      mkdirSync(join(d, "b"));
      writeFileSync(join(d, "b", "z"), "");
      writeFileSync(join(d, "a"), "");
      writeFileSync(join(d, "é"), "");
      writeFileSync(join(d, "Z"), "");
      const rels = (await walk(d)).map((e) => e.rel);
      expect(rels).toEqual(["Z", "a", "b", "b/z", "é"]);
      expect((await walk(d, (r) => r === "b")).map((e) => e.rel)).toEqual(["Z", "a", "é"]);
      expect(byteOrder("\u{10000}", "\uffff")).toBeGreaterThan(0);
    } finally {
      rmSync(d, { recursive: true });
    }
  });

  it("a missing root is an FsError of kind not-found", async () => {
    await expect(walk("/nonexistent-dms-walk")).rejects.toMatchObject({ kind: "not-found" });
  });
});
