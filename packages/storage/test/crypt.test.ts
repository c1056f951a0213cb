// Encrypt/decrypt flow, refusals, and recovery from every journal phase, in-process with a plain test
// cipher (so this file does not depend on @dms/crypto; crash.test.ts uses the real age cipher).
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ARCHIVE_NAME,
  EncryptionType,
  IDType,
  openController,
  type ProgressEvent,
  SqliteRepository,
  TMP_DIR,
  type VolumeCipher,
  type VolumeController,
  VolumeSource,
} from "../src/index.js";
import { bytes, codeOf, plainCipher, tempRoot, treeHash, writeTree } from "./support.js";

const keys = { recipients: ["k1"] };
const ids = { identities: ["k1"] };

let root: string;
let c: VolumeController;
let path: string;
let original: string;

beforeEach(async () => {
  root = tempRoot();
  c = await openController({ root, cipher: plainCipher() });
  path = (await c.createVolume(VolumeSource.Job)).Path;
  writeTree(path, {
    "params.json": '{"n":1}',
    "data/big.bin": bytes(70_000, 1),
    "data/nested/deep.bin": bytes(100, 2),
    "data/empty": null,
    link: { link: "params.json" },
  });
  original = await treeHash(path);
});

afterEach(async () => {
  await c.close();
  rmSync(root, { recursive: true, force: true });
});

/** Opens a controller that throws (like a crash) when the given step is reached. */
async function crashingAt(op: string, phase: string, cipher: VolumeCipher = plainCipher()) {
  return openController({
    root,
    cipher,
    onProgress: (e: ProgressEvent) => {
      if (e.op === op && e.phase === phase) throw new Error(`crash at ${op}:${phase}`);
    },
  });
}

describe("encrypt and decrypt", () => {
  it("round trip: only the archive while encrypted, every byte back after", async () => {
    const enc = await c.encryptVolume(path, keys);
    expect(enc.EncryptionType).toBe(EncryptionType.Age);
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    expect(await c.getSize(path, IDType.Path)).toBe(statSync(join(path, ARCHIVE_NAME)).size);
    expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
    expect(readdirSync(join(path))).toEqual([ARCHIVE_NAME]);
    const dec = await c.decryptVolume(path, ids);
    expect(dec.EncryptionType).toBe(EncryptionType.Null);
    expect(await treeHash(path)).toBe(original);
    expect(c.recovered).toEqual([]);
  });

  it("a wrong key is ERR_STORAGE_CIPHER and leaves the volume encrypted and whole", async () => {
    await c.encryptVolume(path, keys);
    expect(await codeOf(() => c.decryptVolume(path, { identities: ["wrong"] }))).toBe("ERR_STORAGE_CIPHER");
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    expect((await c.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Age);
    await c.decryptVolume(path, ids);
    expect(await treeHash(path)).toBe(original);
  });

  it("a cipher that fails half way leaves the plaintext and no temp file", async () => {
    const broken: VolumeCipher = {
      ...plainCipher(),
      async encryptDir(_dir, archivePath) {
        writeFileSync(archivePath, "partial");
        throw Object.assign(new Error("boom"), { code: "ERR_AGE_IO", errno: "ENOSPC", syscall: "write" });
      },
    };
    const b = await openController({ root, cipher: broken });
    const err = await b.encryptVolume(path, keys).catch((e) => e);
    expect(err.code).toBe("ERR_STORAGE_NO_SPACE"); // a full disk has a code of its own
    expect(err.errno).toBe("ENOSPC");
    expect(await treeHash(path)).toBe(original);
    expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
    await b.close();
  });

  it("refusals: locked, already encrypted, not encrypted, reserved name, no keys", async () => {
    expect(await codeOf(() => c.decryptVolume(path, ids))).toBe("ERR_STORAGE_NOT_ENCRYPTED");
    await expect(c.encryptVolume(path, { recipients: [] })).rejects.toThrow(TypeError);
    await expect(c.decryptVolume(path, {})).rejects.toThrow(TypeError);
    expect(await treeHash(path)).toBe(original);

    await c.encryptVolume(path, keys);
    expect(await codeOf(() => c.encryptVolume(path, keys))).toBe("ERR_STORAGE_ENCRYPTED");

    const other = await c.createVolume(VolumeSource.Job);
    writeFileSync(join(other.Path, ARCHIVE_NAME), "mine");
    expect(await codeOf(() => c.encryptVolume(other.Path, keys))).toBe("ERR_STORAGE_RESERVED_NAME");

    writeFileSync(join(path, "added-later.txt"), "would collide");
    expect(await codeOf(() => c.decryptVolume(path, ids))).toBe("ERR_STORAGE_EXISTS");
    expect(readdirSync(path).sort()).toEqual([ARCHIVE_NAME, "added-later.txt"]);

    const lockedVol = await c.createVolume(VolumeSource.Job);
    await c.lockVolume(lockedVol.Path);
    expect(await codeOf(() => c.encryptVolume(lockedVol.Path, keys))).toBe("ERR_STORAGE_LOCKED");
  });

  it("a second caller on the same volume gets ERR_STORAGE_BUSY (same controller, and another one)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let reached!: () => void;
    const atWriting = new Promise<void>((r) => {
      reached = r;
    });
    const slow = await openController({
      root,
      cipher: plainCipher(),
      onProgress: async (e) => {
        if (e.phase === "writing") {
          reached();
          await gate;
        }
      },
    });
    const first = slow.encryptVolume(path, keys);
    await atWriting;
    expect(await codeOf(() => slow.encryptVolume(path, keys))).toBe("ERR_STORAGE_BUSY");
    expect(await codeOf(() => c.encryptVolume(path, keys))).toBe("ERR_STORAGE_BUSY");
    expect(await codeOf(() => c.deleteVolume(path, IDType.Path))).toBe("ERR_STORAGE_BUSY");
    release();
    expect((await first).EncryptionType).toBe(EncryptionType.Age);
    await slow.close();
    await c.decryptVolume(path, ids);
    expect(await treeHash(path)).toBe(original);
  });
});

describe("recovery from each journal phase", () => {
  it("encrypt:writing before anything was written → rolled back, plaintext whole", async () => {
    const x = await crashingAt("encrypt", "writing");
    await expect(x.encryptVolume(path, keys)).rejects.toThrow("crash");
    await x.close();
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "encrypt", phase: "writing", outcome: "rolled-back" }]);
    expect(await treeHash(path)).toBe(original);
    expect((await r.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Null);
    await r.close();
  });

  it("encrypt:writing after the archive was renamed in → rolled back, archive removed", async () => {
    const x = await crashingAt("encrypt", "archived");
    await expect(x.encryptVolume(path, keys)).rejects.toThrow("crash");
    await x.close();
    // The crash came between the rename and the journal write: rewind the journal to that moment.
    const repo = SqliteRepository.open(join(root, "dms-storage.db"));
    const vol = repo.findByPath(path);
    repo.setJournal({ volumeId: vol.ID, op: "encrypt", phase: "writing" });
    repo.close();
    expect(existsSync(join(path, ARCHIVE_NAME))).toBe(true);
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ outcome: "rolled-back" }]);
    expect(existsSync(join(path, ARCHIVE_NAME))).toBe(false);
    expect(await treeHash(path)).toBe(original);
    await r.close();
  });

  it("encrypt:archived → rolled forward: plaintext removed, record says Age, decrypts to the original", async () => {
    const x = await crashingAt("encrypt", "archived");
    await expect(x.encryptVolume(path, keys)).rejects.toThrow("crash");
    await x.close();
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "encrypt", phase: "archived", outcome: "rolled-forward" }]);
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    expect((await r.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Age);
    await r.decryptVolume(path, ids);
    expect(await treeHash(path)).toBe(original);
    await r.close();
  });

  it("decrypt:extracting → rolled back: staging removed, archive kept", async () => {
    await c.encryptVolume(path, keys);
    const x = await crashingAt("decrypt", "extracted");
    await expect(x.decryptVolume(path, ids)).rejects.toThrow("crash");
    await x.close();
    const repo = SqliteRepository.open(join(root, "dms-storage.db"));
    repo.setJournal({ volumeId: repo.findByPath(path).ID, op: "decrypt", phase: "extracting" });
    repo.close();
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "decrypt", phase: "extracting", outcome: "rolled-back" }]);
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    await r.decryptVolume(path, ids);
    expect(await treeHash(path)).toBe(original);
    await r.close();
  });

  it("decrypt:extracted → rolled forward, also when half the entries were already moved out", async () => {
    await c.encryptVolume(path, keys);
    const x = await crashingAt("decrypt", "extracted");
    await expect(x.decryptVolume(path, ids)).rejects.toThrow("crash");
    await x.close();
    const { renameSync } = await import("node:fs");
    const id = (await c.getVolume(path, IDType.Path)).ID;
    renameSync(join(root, TMP_DIR, id, "tree", "data"), join(path, "data"));
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "decrypt", phase: "extracted", outcome: "rolled-forward" }]);
    expect(await treeHash(path)).toBe(original);
    expect((await r.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Null);
    await r.close();
  });

  it("delete:removing → rolled forward: folder and record gone", async () => {
    const x = await crashingAt("delete", "removing");
    await expect(x.deleteVolume(path, IDType.Path)).rejects.toThrow("crash");
    await x.close();
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "delete", phase: "removing", outcome: "rolled-forward" }]);
    expect(existsSync(path)).toBe(false);
    expect(await r.listVolumes()).toEqual([]);
    await r.close();
  });

  it("an interrupted step is finished by the next operation on that volume, not only at open", async () => {
    const x = await crashingAt("encrypt", "archived");
    await expect(x.encryptVolume(path, keys)).rejects.toThrow("crash");
    // `c` was opened before the crash, so its open-time recovery did not see this entry.
    expect(await codeOf(() => c.encryptVolume(path, keys))).toBe("ERR_STORAGE_ENCRYPTED");
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    await x.close();
  });
});
