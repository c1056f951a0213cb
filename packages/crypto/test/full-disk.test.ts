// A full disk is reported as such (ERR_AGE_NO_SPACE, errno ENOSPC, the user's path) from every writer,
// not as an abort or a damaged archive. Needs root to mount a small tmpfs; skipped (visibly) otherwise.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptDirectory, extractDirectory } from "../src/archive/directory.js";
import { encryptFile } from "../src/fs/file.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";

const base = mkdtempSync(join(tmpdir(), "dms-full-"));
const mnt = join(base, "mnt");
const isRoot = process.getuid?.() === 0;
let mounted = false;
if (!isRoot) console.warn("SKIP: full-disk tests need root to mount a 4 MiB tmpfs");
let identity: string;
let recipient: string;

beforeAll(async () => {
  mkdirSync(mnt);
  mkdirSync(join(base, "src"));
  writeFileSync(join(base, "src", "big"), randomBytes(12_000_000));
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  if (isRoot) mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt]).status === 0;
  if (isRoot && !mounted && process.env.DMS_REQUIRE_TOOLS === "1") throw new Error("could not mount a tmpfs");
});
afterAll(() => {
  if (mounted) spawnSync("umount", [mnt]);
  rmSync(base, { recursive: true, force: true });
});

describe.skipIf(!isRoot)("a full disk", () => {
  it("encryptFile, encryptDirectory and extractDirectory all say ERR_AGE_NO_SPACE with the path", async () => {
    const want = (path: string) => ({ code: "ERR_AGE_NO_SPACE", errno: "ENOSPC", path });
    const file = join(mnt, "f.age");
    await expect(
      encryptFile(join(base, "src", "big"), file, { recipients: [recipient] }),
    ).rejects.toMatchObject(want(file));
    const dir = join(mnt, "d.age");
    await expect(encryptDirectory(join(base, "src"), dir, { recipients: [recipient] })).rejects.toMatchObject(
      want(dir),
    );
    const archive = join(base, "src.age");
    await encryptDirectory(join(base, "src"), archive, { recipients: [recipient] });
    const out = join(mnt, "out");
    await expect(extractDirectory(archive, out, { identities: [identity] })).rejects.toMatchObject(want(out));
  }, 60_000);
});
