// Upstream's BasicVolumeController tests (spec section 6 "Volume controller"), on a temp root, against
// both repositories; plus the places where this port is stricter than upstream.
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EncryptionType,
  IDType,
  MemoryRepository,
  openController,
  SqliteRepository,
  type StorageVolume,
  type VolumeController,
  type VolumeRepository,
  VolumeSource,
} from "../src/index.js";
import { codeOf, tempRoot, writeTree } from "./support.js";

const backends: [string, (root: string) => VolumeRepository][] = [
  ["memory", () => new MemoryRepository()],
  ["sqlite", (root) => SqliteRepository.open(join(root, "dms-storage.db"))],
];

describe.each(backends)("volume controller (upstream cases) on %s", (_name, makeRepo) => {
  let root: string;
  let repo: VolumeRepository;
  let c: VolumeController;
  let volume1: StorageVolume;
  let volume2: StorageVolume;

  beforeEach(async () => {
    root = tempRoot();
    repo = makeRepo(root);
    c = await openController({ root, repository: repo });
    volume1 = await c.createVolume(VolumeSource.S3);
    const v2 = await c.createVolume(VolumeSource.S3);
    volume2 = repo.update(v2.ID, { CID: "baf222" });
    writeFileSync(join(volume2.Path, "hello.txt"), "hello world");
  });

  afterEach(async () => {
    await c.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("creates volumes: path <root>/<source>-<16 letters>, defaults, private option, folder made", async () => {
    const a = await c.createVolume(VolumeSource.S3);
    const b = await c.createVolume(VolumeSource.S3, { private: true });
    for (const v of [a, b]) {
      expect(v.Path).toMatch(new RegExp(`^${root}/s3-[a-zA-Z]{16}$`));
      expect(v.CID).toBe("");
      expect(v.ReadOnly).toBe(false);
      expect(v.EncryptionType).toBe(EncryptionType.Null);
      expect(statSync(v.Path).isDirectory()).toBe(true);
    }
    expect(a.Private).toBe(false);
    expect(b.Private).toBe(true);
    expect(statSync(b.Path).mode & 0o777).toBe(0o700);
    expect(await c.listVolumes()).toHaveLength(4);
  });

  it("locks volume1 with a given CID: read-only record, whole tree read-only on disk", async () => {
    writeTree(volume1.Path, { "sub/f.txt": "x", "top.txt": "y" });
    const v = await c.lockVolume(volume1.Path, { cid: "abcdef" });
    expect(v.ReadOnly).toBe(true);
    expect(v.CID).toBe("abcdef");
    // Upstream chmods only the top folder to 0400; this port makes the whole tree read-only but walkable.
    expect(statSync(volume1.Path).mode & 0o777).toBe(0o555);
    expect(statSync(join(volume1.Path, "sub")).mode & 0o777).toBe(0o555);
    expect(statSync(join(volume1.Path, "sub/f.txt")).mode & 0o777).toBe(0o444);
    expect(statSync(join(volume1.Path, "top.txt")).mode & 0o777).toBe(0o444);
  });

  it("locks volume2 with private; without a CID option the CID is the computed digest", async () => {
    const v = await c.lockVolume(volume2.Path, { private: true });
    expect(v.Private).toBe(true);
    expect(v.ReadOnly).toBe(true);
    expect(v.CID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await c.verifyVolume(volume2.Path)).ok).toBe(true);
    // Read-only, and still nobody else's to read.
    expect(statSync(volume2.Path).mode & 0o777).toBe(0o500);
  });

  it("locking a missing path is ERR_STORAGE_NOT_FOUND", async () => {
    expect(await codeOf(() => c.lockVolume(join(root, "missing")))).toBe("ERR_STORAGE_NOT_FOUND");
  });

  it("deletes by path and by CID: folder and record both gone; the list ends empty", async () => {
    await c.deleteVolume(volume1.Path, IDType.Path);
    expect(existsSync(volume1.Path)).toBe(false);
    expect(() => repo.get(volume1.ID)).toThrow("record not found");
    await c.deleteVolume("baf222", IDType.CID);
    expect(existsSync(volume2.Path)).toBe(false);
    expect(() => repo.get(volume2.ID)).toThrow("record not found");
    expect(await c.listVolumes()).toEqual([]);
  });

  it("delete of a missing path or CID is NOT_FOUND; an unknown ID type is INVALID_ID_TYPE", async () => {
    expect(await codeOf(() => c.deleteVolume(join(root, "nope"), IDType.Path))).toBe("ERR_STORAGE_NOT_FOUND");
    expect(await codeOf(() => c.deleteVolume("nocid", IDType.CID))).toBe("ERR_STORAGE_NOT_FOUND");
    expect(await codeOf(() => c.deleteVolume(volume1.Path, 999 as IDType))).toBe(
      "ERR_STORAGE_INVALID_ID_TYPE",
    );
    expect(await codeOf(() => c.deleteVolume(volume1.Path, IDType.Undefined))).toBe(
      "ERR_STORAGE_INVALID_ID_TYPE",
    );
    expect(await c.listVolumes()).toHaveLength(2);
  });

  it("deletes a locked (read-only) volume", async () => {
    writeTree(volume1.Path, { "a/b/c.txt": "deep" });
    await c.lockVolume(volume1.Path);
    await c.deleteVolume(volume1.Path, IDType.Path);
    expect(existsSync(volume1.Path)).toBe(false);
  });

  it("lists the two volumes", async () => {
    const list = await c.listVolumes();
    expect(list.map((v) => v.ID)).toEqual([volume1.ID, volume2.ID]);
  });

  it("sizes: volume1 0, volume2 by CID 11; type 999 and unknown path are errors", async () => {
    expect(await c.getSize(volume1.Path, IDType.Path)).toBe(0);
    expect(await c.getSize("baf222", IDType.CID)).toBe(11);
    expect(await codeOf(() => c.getSize(volume1.Path, 999 as IDType))).toBe("ERR_STORAGE_INVALID_ID_TYPE");
    expect(await codeOf(() => c.getSize(join(root, "unknown"), IDType.Path))).toBe("ERR_STORAGE_NOT_FOUND");
  });

  it("size counts regular files at any depth and nothing else", async () => {
    writeTree(volume1.Path, {
      "a/b/c.bin": new Uint8Array(1000),
      "d.txt": "12345",
      link: { link: "d.txt" },
      e: null,
    });
    expect(await c.getSize(volume1.Path, IDType.Path)).toBe(1005);
  });
});

describe("volume controller: stricter than upstream", () => {
  it("removes the new folder again when the record cannot be stored", async () => {
    const root = tempRoot();
    const repo = new MemoryRepository();
    repo.create = () => {
      throw Object.assign(new Error("disk full"), { code: "ERR_STORAGE_DATABASE" });
    };
    const c = await openController({ root, repository: repo });
    expect(await codeOf(() => c.createVolume(VolumeSource.Job))).toBe("ERR_STORAGE_DATABASE");
    expect(readdirSync(root)).toEqual([]);
    await c.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("rejects a source that is not a VolumeSource, naming the argument", async () => {
    const root = tempRoot();
    const c = await openController({ root });
    await expect(c.createVolume("../escape" as VolumeSource)).rejects.toThrow(RangeError);
    await expect(c.createVolume("../escape" as VolumeSource)).rejects.toThrow(/source must be one of/);
    await c.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("uses <root>/dms-storage.db by default and keeps records across controllers", async () => {
    const root = tempRoot();
    const c = await openController({ root });
    const v = await c.createVolume(VolumeSource.IPFS);
    await c.close();
    expect(existsSync(join(root, "dms-storage.db"))).toBe(true);
    const again = await openController({ root });
    expect((await again.listVolumes()).map((x) => x.ID)).toEqual([v.ID]);
    expect(await again.getVolume(v.Path, IDType.Path)).toEqual(v);
    await again.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("every method of a closed controller is ERR_STORAGE_CLOSED", async () => {
    const root = tempRoot();
    const c = await openController({ root });
    await c.close();
    await c.close();
    expect(await codeOf(() => c.listVolumes())).toBe("ERR_STORAGE_CLOSED");
    expect(await codeOf(() => c.createVolume(VolumeSource.Job))).toBe("ERR_STORAGE_CLOSED");
    expect(await codeOf(() => c.lockVolume(join(root, "x")))).toBe("ERR_STORAGE_CLOSED");
    rmSync(root, { recursive: true, force: true });
  });

  it("openController needs a root", async () => {
    await expect(openController({ root: "  " })).rejects.toThrow(TypeError);
  });
});
