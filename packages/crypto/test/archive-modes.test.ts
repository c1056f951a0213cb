// Extracted modes are never more than `tar -x` gives the same user (the rule is extractMode's).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractDirectory } from "../src/archive/directory.js";
import { extractMode } from "../src/archive/policy.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { encrypt } from "../src/session/encrypt.js";

const base = mkdtempSync(join(tmpdir(), "dms-modes-"));
let archive: string;
let identity: string;
beforeAll(async () => {
  const src = join(base, "src");
  mkdirSync(join(src, "open"), { recursive: true });
  mkdirSync(join(src, "shared"));
  writeFileSync(join(src, "setuid"), "#!/bin/sh\n");
  writeFileSync(join(src, "rw"), "x");
  chmodSync(join(src, "setuid"), 0o4755);
  chmodSync(join(src, "rw"), 0o666);
  chmodSync(join(src, "open"), 0o777);
  chmodSync(join(src, "shared"), 0o1777);
  identity = await generateIdentity();
  const tar = execFileSync("tar", ["-c", "-C", src, "."]);
  archive = join(base, "modes.age");
  writeFileSync(archive, await encrypt(tar, { recipients: [await identityToRecipient(identity)] }));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const modeOf = (p: string) => statSync(p).mode & 0o7777;

describe("extracted modes", () => {
  it.each([
    [0o4755, false, 0o022, 0o755],
    [0o666, false, 0o022, 0o644],
    [0o666, false, 0o000, 0o666],
    [0o777, true, 0o000, 0o775],
    [0o1777, true, 0o000, 0o1777],
    [0o2775, true, 0o002, 0o775],
  ])("extractMode(%o, dir %s, umask %o) is %o", (archived, isDir, umask, want) => {
    expect(extractMode(archived, isDir, umask)).toBe(want);
  });

  it("on disk: set-id dropped, the umask applied, sticky kept, world-write dropped without it", async () => {
    const old = process.umask(0o002);
    try {
      const out = join(base, "out");
      await extractDirectory(archive, out, { identities: [identity] });
      expect(modeOf(join(out, "setuid"))).toBe(0o755);
      expect(modeOf(join(out, "rw"))).toBe(0o664);
      expect(modeOf(join(out, "open"))).toBe(0o775);
      expect(modeOf(join(out, "shared"))).toBe(0o1775);
    } finally {
      process.umask(old);
    }
  });
});
