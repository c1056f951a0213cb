import { describe, expect, it } from "vitest";
import { DmsError } from "../src/errors.js";
import { formatError } from "../src/report.js";

describe("formatError", () => {
  const LINE = /^dms: error: [^\n]+ \((ERR_[A-Z0-9_]+)\)\n$/;

  it("keeps the toolkit's codes; the library's own message says what to do, the CLI adds it only by code", async () => {
    const age = await import("@dms/crypto");
    const id = await age.generateIdentity();
    const ct = await age.encrypt(new Uint8Array(70_000), { recipients: [await age.identityToRecipient(id)] });
    const locked = await age.encrypt("x", { passphrase: "p", workFactor: 2 });
    const badMac = ct.slice();
    const mac = ct.indexOf(0x2d, 30) + 5; // inside the "--- " MAC line
    // Another base64 letter: flipping a bit gave a non-base64 byte (a header error) ~1 time in 10.
    badMac[mac] = badMac[mac] === 0x41 ? 0x42 : 0x41;
    const other = await age.generateIdentity();
    const ascii = (s: string) => new TextEncoder().encode(s);
    const cases: [string, () => Promise<unknown>][] = [
      ["ERR_AGE_NO_MATCH", () => age.decrypt(ct, { identities: [other] })],
      ["ERR_AGE_NO_MATCH", () => age.decrypt(locked, { passphrase: "wrong" })],
      ["ERR_AGE_HMAC", () => age.decrypt(badMac, { identities: [id] })],
      ["ERR_AGE_PAYLOAD", () => age.decrypt(ct.subarray(0, ct.length - 10), { identities: [id] })],
      ["ERR_AGE_HEADER", () => age.decrypt(ascii("age-encryption.org/v2\n"), { identities: [id] })],
      [
        "ERR_AGE_ARMOR",
        () => age.decrypt(ascii("-----BEGIN AGE ENCRYPTED FILE-----\n!!\n"), { identities: [id] }),
      ],
      ["ERR_AGE_NOT_AGE", () => age.decrypt(new Uint8Array([0, 1, 2, 3]), { identities: [id] })],
    ];
    for (const [code, p] of cases) {
      const err = (await p().catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe(code);
      // What to do follows "; " in the library's message, so the CLI prints it as it is.
      expect(err.message, code).toMatch(/; \S/);
      expect(formatError(err)).toBe(`dms: error: ${err.message} (${code})\n`);
    }
    const aborted = Object.assign(new Error("operation aborted by the caller"), { code: "ERR_AGE_ABORTED" });
    expect(formatError(aborted)).toMatch(
      /aborted by the caller; interrupted before the end; no -o file .* \(ERR_AGE_ABORTED\)\n$/,
    );
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
