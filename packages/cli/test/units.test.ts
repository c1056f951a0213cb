import { describe, expect, it } from "vitest";
import { DmsError } from "../src/errors.js";
import { formatError } from "../src/report.js";

describe("formatError", () => {
  const LINE = /^dms: error: [^\n]+ \((ERR_[A-Z0-9_]+)\)\n$/;

  it("keeps the toolkit's codes and adds what to do for terse crypto codes", () => {
    const e = Object.assign(new Error("no identity matched"), { code: "ERR_AGE_NO_MATCH" });
    const line = formatError(e);
    expect(line).toMatch(LINE);
    expect(line).toContain("check that -i names the key");
    expect(formatError(new DmsError("ERR_DMS_USAGE", "bad"))).toBe("dms: error: bad (ERR_DMS_USAGE)\n");
  });

  it("folds multi-line messages into one line", () => {
    const line = formatError(new DmsError("ERR_DMS_IO", "one\ntwo\n  three"));
    expect(line).toBe("dms: error: one; two; three (ERR_DMS_IO)\n");
  });

  it("maps bare errno errors and hides foreign codes behind ERR_DMS_INTERNAL", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT", path: "/x/y" });
    expect(formatError(enoent)).toMatch(/\/x\/y.*\(ERR_DMS_NOT_FOUND\)\n$/);
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    expect(formatError(epipe)).toMatch(/\(broken pipe\); the reader stopped early \(ERR_DMS_IO\)\n$/);
    expect(formatError(Object.assign(new Error("x"), { code: "ERR_SOMETHING" }))).toMatch(
      /\(ERR_DMS_INTERNAL\)\n$/,
    );
    expect(formatError("a string")).toBe("dms: error: a string (ERR_DMS_INTERNAL)\n");
    expect(formatError(undefined)).toMatch(LINE);
  });

  it("maps an FsError from @dms/fs by its errno, keeping its message", () => {
    const e = Object.assign(new Error("cannot write out.bin: no space left on the device (ENOSPC)"), {
      name: "FsError",
      kind: "no-space",
      errno: "ENOSPC",
      path: "out.bin",
    });
    expect(formatError(e)).toBe(
      "dms: error: cannot write out.bin: no space left on the device (ENOSPC); free some space and run the command again (ERR_DMS_NO_SPACE)\n",
    );
  });

  it("names the key file a key error came from, from its path field", () => {
    const e = Object.assign(new Error("identity is not valid Bech32"), {
      code: "ERR_AGE_KEY",
      path: "k.txt",
    });
    expect(formatError(e)).toBe("dms: error: k.txt: identity is not valid Bech32 (ERR_AGE_KEY)\n");
  });

  it("names the code of the library error a storage error wraps, from its field", () => {
    const cause = Object.assign(new Error("bad key"), { code: "ERR_AGE_KEY" });
    const e = Object.assign(new Error("failed to encrypt volume: bad key", { cause }), {
      code: "ERR_STORAGE_CIPHER",
    });
    expect(formatError(e)).toBe(
      "dms: error: failed to encrypt volume: bad key [ERR_AGE_KEY] (ERR_STORAGE_CIPHER)\n",
    );
  });
});
