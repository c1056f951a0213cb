// A full disk is ERR_STORAGE_NO_SPACE with a path, from every storage path that writes (issue 9 item 4):
// encrypt (the archive), decrypt (the extraction), and the database (records, manifests). Runs on a
// small tmpfs mounted for the test, so it needs root and `mount`; skipped with the reason otherwise
// (DMS_REQUIRE_TOOLS=1 turns the skip into a failure).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statfsSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "@dms/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARCHIVE_NAME,
  EncryptionType,
  IDType,
  openController,
  TMP_DIR,
  type VolumeController,
  VolumeSource,
} from "../../src/index.js";
import { treeHash } from "../support.js";

const MiB = 1024 * 1024;
const mnt = mkdtempSync(join(tmpdir(), "dms-storage-full-"));
const mounted =
  process.getuid?.() === 0 &&
  spawnSync("mount", ["-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", mnt]).status === 0;
const require = process.env.DMS_REQUIRE_TOOLS === "1";
if (!mounted && !require) {
  console.warn("@dms/storage: skipping the full-disk tests: they need root and `mount -t tmpfs`");
}

afterAll(() => {
  if (mounted) spawnSync("umount", ["-l", mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

/** Fills the filesystem until about `leave` bytes are free; returns the filler's path. */
function fill(leave: number): string {
  const f = join(mnt, "filler");
  const st = statfsSync(mnt);
  const free = st.bavail * st.bsize;
  writeFileSync(f, Buffer.alloc(Math.max(0, free - leave)));
  return f;
}

describe.skipIf(!mounted && !require)("a full disk", () => {
  // Declared only where it fails, so a run with the tmpfs shows no skip for it.
  if (!mounted) {
    it("needs root and mount -t tmpfs (DMS_REQUIRE_TOOLS=1 is set)", () => {
      throw new Error("these tests need root and `mount -t tmpfs` to make a small full filesystem");
    });
  }

  let c: VolumeController;
  let path: string;
  let before: string;
  let id: string;
  let recipient: string;
  beforeAll(async () => {
    if (!mounted) return;
    id = await generateIdentity();
    recipient = await identityToRecipient(id);
    c = await openController({ root: join(mnt, "root") });
    path = (await c.createVolume(VolumeSource.Job)).Path;
    writeFileSync(join(path, "data.bin"), randomBytes(2 * MiB));
    before = await treeHash(path);
  });
  afterAll(async () => {
    await c?.close();
  });

  // What encrypt and decrypt threw on the full disk; their codes are checked in the tests below.
  let encErr: { code?: string; errno?: string; path?: string } | undefined;
  let decErr: { code?: string; errno?: string; path?: string } | undefined;

  it.runIf(mounted)("encrypt fails, plaintext untouched, no temp left, volume still plaintext", async () => {
    const filler = fill(512 * 1024);
    try {
      encErr = await c.encryptVolume(path, { recipients: [recipient] }).then(
        () => undefined,
        (e) => e,
      );
      expect(encErr).toBeDefined();
      expect(await treeHash(path)).toBe(before);
      expect(readdirSync(join(mnt, "root", TMP_DIR))).toEqual([]);
      expect((await c.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Null);
    } finally {
      unlinkSync(filler);
    }
  });

  it.runIf(mounted)(
    "decrypt fails, archive kept, no staging left, and works once there is room",
    async () => {
      await c.encryptVolume(path, { recipients: [recipient] });
      expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
      const filler = fill(512 * 1024);
      try {
        decErr = await c.decryptVolume(path, { identities: [id] }).then(
          () => undefined,
          (e) => e,
        );
        expect(decErr).toBeDefined();
        expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
        expect(readdirSync(join(mnt, "root", TMP_DIR))).toEqual([]);
      } finally {
        unlinkSync(filler);
      }
      await c.decryptVolume(path, { identities: [id] });
      expect(await treeHash(path)).toBe(before);
    },
  );

  // crypto keeps the ENOSPC of a full disk (ERR_AGE_NO_SPACE) and storage maps it in one place.
  (mounted ? it : it.skip)("encrypt on a full disk is ERR_STORAGE_NO_SPACE with errno and path", () => {
    expect(encErr).toMatchObject({ code: "ERR_STORAGE_NO_SPACE", errno: "ENOSPC" });
    expect(typeof encErr?.path).toBe("string");
  });
  (mounted ? it : it.skip)("decrypt on a full disk is ERR_STORAGE_NO_SPACE with errno and path", () => {
    expect(decErr).toMatchObject({ code: "ERR_STORAGE_NO_SPACE", errno: "ENOSPC" });
    expect(typeof decErr?.path).toBe("string");
  });

  it.runIf(mounted)("the database: ERR_STORAGE_NO_SPACE naming the database file", async () => {
    const filler = fill(0);
    try {
      // Fill the last blocks too: tmpfs hands out whole pages.
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(mnt, `crumb-${i}`), Buffer.alloc(4096));
        } catch {
          break;
        }
      }
      let err: unknown;
      for (let i = 0; i < 50 && err === undefined; i++) {
        err = await c.createVolume(VolumeSource.Job).then(
          () => undefined,
          (e) => e,
        );
      }
      expect(err).toMatchObject({ code: "ERR_STORAGE_NO_SPACE" });
      expect((err as { path?: string }).path).toMatch(/dms-storage\.db$|root/);
    } finally {
      unlinkSync(filler);
      for (const f of readdirSync(mnt)) if (f.startsWith("crumb-")) unlinkSync(join(mnt, f));
    }
  });
});
