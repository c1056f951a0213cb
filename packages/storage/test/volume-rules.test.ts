// Issue 9 item 3: encrypt never deletes a file written while it runs, a foreign archive holding a reserved
// name is refused before anything is removed, decrypt stages outside the volume (0700), and `volume rm`
// works whatever state a volume was left in. In-process, with the plain test cipher.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
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
import { codeOf, plainCipher, tempRoot, treeHash, writeTree } from "./support.js";

const keys = { recipients: ["k1"] };
const ids = { identities: ["k1"] };

let root: string;
let c: VolumeController;
let path: string;

beforeEach(async () => {
  root = tempRoot();
  c = await openController({ root, cipher: plainCipher() });
  path = (await c.createVolume(VolumeSource.Job)).Path;
  writeTree(path, { "a.txt": "alpha", "data/b.bin": "beta", "data/sub/c.txt": "gamma" });
});

afterEach(async () => {
  await c.close();
  rmSync(root, { recursive: true, force: true });
});

describe("volume encrypt with a concurrent writer", () => {
  it("a file written while the archive is made: rolled back, nothing removed, ERR_STORAGE_TREE_CHANGED", async () => {
    const base = plainCipher();
    const racing: VolumeCipher = {
      ...base,
      async encryptDir(dir, archivePath, k) {
        await base.encryptDir(dir, archivePath, k);
        // The job writes its result after the archiver has read the tree.
        writeFileSync(join(dir, "data", "result.txt"), "written during encrypt");
      },
    };
    const x = await openController({ root, cipher: racing });
    const err = await x.encryptVolume(path, keys).catch((e) => e);
    expect(err).toMatchObject({ code: "ERR_STORAGE_TREE_CHANGED", path });
    expect(readFileSync(join(path, "data", "result.txt"), "utf8")).toBe("written during encrypt");
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("alpha");
    expect(existsSync(join(path, ARCHIVE_NAME))).toBe(false);
    expect((await x.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Null);
    await x.close();
  });

  it("a file changed in place while the archive is made: rolled back too", async () => {
    const base = plainCipher();
    const racing: VolumeCipher = {
      ...base,
      async encryptDir(dir, archivePath, k) {
        await base.encryptDir(dir, archivePath, k);
        writeFileSync(join(dir, "a.txt"), "alpha, appended later");
      },
    };
    const x = await openController({ root, cipher: racing });
    expect(await codeOf(() => x.encryptVolume(path, keys))).toBe("ERR_STORAGE_TREE_CHANGED");
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("alpha, appended later");
    await x.close();
  });

  it("files written after the archive is in place are kept beside it, never removed", async () => {
    const x = await openController({
      root,
      cipher: plainCipher(),
      onProgress: (e: ProgressEvent) => {
        if (e.op === "encrypt" && e.phase === "archived") {
          writeFileSync(join(path, "late.txt"), "late");
          writeFileSync(join(path, "data", "sub", "late-inner.txt"), "late inner");
        }
      },
    });
    const v = await x.encryptVolume(path, keys);
    expect(v.EncryptionType).toBe(EncryptionType.Age);
    // What was archived is gone; what was not is still there, with the folders that hold it.
    expect(readdirSync(path).sort()).toEqual([ARCHIVE_NAME, "data", "late.txt"]);
    expect(readdirSync(join(path, "data"))).toEqual(["sub"]);
    expect(readdirSync(join(path, "data", "sub"))).toEqual(["late-inner.txt"]);
    expect(readFileSync(join(path, "data", "sub", "late-inner.txt"), "utf8")).toBe("late inner");
    // Decrypt refuses to move the archived entries over them, and says so.
    expect(await codeOf(() => x.decryptVolume(path, ids))).toBe("ERR_STORAGE_EXISTS");
    await x.close();
  });
});

describe("volume decrypt", () => {
  it("stages outside the volume, in a folder only the owner can enter", async () => {
    const base = plainCipher();
    let seen: { dir: string; mode: number; tmpMode: number } | undefined;
    const spy: VolumeCipher = {
      ...base,
      async extractTo(archivePath, dir, k) {
        seen = {
          dir,
          mode: statSync(dirname(dir)).mode & 0o777,
          tmpMode: statSync(join(root, TMP_DIR)).mode & 0o777,
        };
        await base.extractTo(archivePath, dir, k);
      },
    };
    const x = await openController({ root, cipher: spy });
    const before = await treeHash(path);
    await x.encryptVolume(path, keys);
    await x.decryptVolume(path, ids);
    expect(seen).toBeDefined();
    expect(relative(path, seen?.dir ?? path).startsWith("..")).toBe(true);
    expect(seen?.mode).toBe(0o700);
    expect(seen?.tmpMode).toBe(0o700);
    expect(await treeHash(path)).toBe(before);
    expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
    await x.close();
  });

  it("a work folder left 0755 by an older run is made 0700 again", async () => {
    mkdirSync(join(root, TMP_DIR), { mode: 0o755 });
    chmodSync(join(root, TMP_DIR), 0o755);
    await c.encryptVolume(path, keys);
    expect(statSync(join(root, TMP_DIR)).mode & 0o777).toBe(0o700);
  });

  it("a foreign archive with the archive's own name at its top level is refused before anything is removed", async () => {
    await c.encryptVolume(path, keys);
    const archive = join(path, ARCHIVE_NAME);
    const foreign = JSON.stringify({
      key: "k1",
      entries: [
        { rel: ARCHIVE_NAME, kind: "f", data: Buffer.from("not the archive").toString("base64") },
        { rel: "x.txt", kind: "f", data: Buffer.from("x").toString("base64") },
      ],
    });
    writeFileSync(archive, foreign);
    const err = await c.decryptVolume(path, ids).catch((e) => e);
    expect(err).toMatchObject({ code: "ERR_STORAGE_RESERVED_NAME", path: archive });
    expect(readdirSync(path)).toEqual([ARCHIVE_NAME]);
    expect(readFileSync(archive, "utf8")).toBe(foreign);
    expect((await c.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Age);
    expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
  });

  it("a file that appears in the volume while entries are moved in is not replaced", async () => {
    await c.encryptVolume(path, keys);
    const x = await openController({
      root,
      cipher: plainCipher(),
      onProgress: (e: ProgressEvent) => {
        if (e.op === "decrypt" && e.phase === "extracted")
          writeFileSync(join(path, "a.txt"), "someone else's");
      },
    });
    expect(await codeOf(() => x.decryptVolume(path, ids))).toBe("ERR_STORAGE_EXISTS");
    expect(readFileSync(join(path, "a.txt"), "utf8")).toBe("someone else's");
    await x.close();
  });
});

describe("volume rm whatever state the volume is in", () => {
  function journal(op: "encrypt" | "decrypt" | "delete", phase: string): void {
    const repo = SqliteRepository.open(join(root, "dms-storage.db"));
    repo.setJournal({ volumeId: repo.findByPath(path).ID, op, phase });
    repo.close();
  }

  it("an interrupted decrypt that cannot be finished (a file in the way)", async () => {
    await c.encryptVolume(path, keys);
    const x = await openController({
      root,
      cipher: plainCipher(),
      onProgress: (e: ProgressEvent) => {
        if (e.op === "decrypt" && e.phase === "extracted") writeFileSync(join(path, "a.txt"), "in the way");
      },
    });
    expect(await codeOf(() => x.decryptVolume(path, ids))).toBe("ERR_STORAGE_EXISTS");
    await x.close();
    // Recovery cannot finish it either, so every other operation keeps failing ...
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ op: "decrypt", outcome: "failed" }]);
    // ... but removing the volume works, and leaves nothing behind.
    await r.deleteVolume(path, IDType.Path);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
    expect(await r.listVolumes()).toEqual([]);
    await r.close();
  });

  it("a journal step this version does not know", async () => {
    journal("encrypt", "from-the-future");
    const r = await openController({ root, cipher: plainCipher() });
    expect(r.recovered).toMatchObject([{ outcome: "failed", error: { code: "ERR_STORAGE_DATABASE" } }]);
    await r.deleteVolume(path, IDType.Path);
    expect(existsSync(path)).toBe(false);
    expect(await r.listVolumes()).toEqual([]);
    await r.close();
  });

  it("a folder already removed by hand, and one replaced by a file", async () => {
    rmSync(path, { recursive: true });
    await c.deleteVolume(path, IDType.Path);
    const v = await c.createVolume(VolumeSource.Job);
    rmSync(v.Path, { recursive: true });
    writeFileSync(v.Path, "a file where the folder was");
    await c.deleteVolume(v.Path, IDType.Path);
    expect(existsSync(v.Path)).toBe(false);
    expect(await c.listVolumes()).toEqual([]);
  });

  it("a locked volume, and an encrypted one", async () => {
    await c.lockVolume(path);
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, { "f.txt": "f" });
    await c.encryptVolume(v.Path, keys);
    await c.deleteVolume(path, IDType.Path);
    await c.deleteVolume(v.Path, IDType.Path);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(v.Path)).toBe(false);
    expect(await c.listVolumes()).toEqual([]);
  });
});
