// Two processes on one storage root at once: records and volumes stay consistent, and two encrypts of
// the same volume cannot both run. Workers run the built package (dist/), so `build` runs before `test`.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  EncryptionType,
  IDType,
  openController,
  SqliteRepository,
  TMP_DIR,
  VolumeSource,
} from "../../src/index.js";
import { bytes, tempRoot, treeHash, writeTree } from "../support.js";
import { startWorker } from "./spawn.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function root(): string {
  const r = tempRoot("dms-race-");
  roots.push(r);
  return r;
}

describe("two processes on one root", () => {
  it("creating, locking and deleting many volumes at once leaves records and folders consistent", async () => {
    const r = root();
    (await openController({ root: r })).close();
    const workers = [0, 1].map(() => startWorker({ root: r, op: "churn", n: 30 }));
    const results = await Promise.all(workers.map((w) => w.result));
    for (const res of results) expect(res).toMatch(/^done /);
    const outs = results.map((res) => JSON.parse(res.slice(5)) as { kept: string[] });

    const c = await openController({ root: r });
    const vols = await c.listVolumes();
    // Every volume a worker created and did not delete is there, with a folder; nothing else is.
    const expected = outs.flatMap((o) => o.kept).sort();
    expect(expected.length).toBeGreaterThan(30);
    expect(vols.map((v) => v.Path).sort()).toEqual(expected);
    const folders = readdirSync(r).filter((n) => n.startsWith("job-"));
    expect(folders.map((n) => join(r, n)).sort()).toEqual(expected);
    for (const v of vols) {
      expect(v.ReadOnly).toBe(true);
      expect((await c.verifyVolume(v.Path)).ok).toBe(true);
    }
    expect(c.recovered).toEqual([]);
    await c.close();
    const db = new Database(join(r, "dms-storage.db"), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.prepare("SELECT count(*) AS n FROM leases").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM journal").get()).toEqual({ n: 0 });
    db.close();
  }, 60_000);

  it("two processes updating one record at once never fail (no deferred read-then-write transaction)", async () => {
    const r = root();
    const db = join(r, "dms-storage.db");
    const repo = SqliteRepository.open(db);
    const { ID } = repo.create({
      CID: "",
      Path: join(r, "job-x"),
      ReadOnly: false,
      Private: false,
      EncryptionType: 0,
    });
    const workers = [0, 1].map(() => startWorker({ op: "update", db, id: ID, n: 1500 }));
    const results = await Promise.all(workers.map((w) => w.result));
    for (const res of results) expect(res).toMatch(/^done /);
    const lasts = results.map((res) => (JSON.parse(res.slice(5)) as { last: string }).last);
    expect(lasts).toContain(repo.get(ID).CID);
    repo.close();
  }, 60_000);

  async function encryptedVolume(r: string) {
    const c = await openController({ root: r });
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, { "a.txt": "alpha", "big.bin": bytes(100_000, 7), "sub/c.bin": bytes(70_000, 8) });
    await c.close();
    return { path: v.Path, original: await treeHash(v.Path) };
  }

  it("two encrypts of one volume: while the first runs, the second gets ERR_STORAGE_BUSY; the result is whole", async () => {
    const r = root();
    const { path, original } = await encryptedVolume(r);
    const keys = { recipients: ["unused-by-tar"] };
    const a = startWorker({ root: r, op: "encrypt", path, keys, cipher: "tar", hold: "encrypt:writing" });
    await a.waitFor("holding");
    const b = startWorker({ root: r, op: "encrypt", path, keys, cipher: "tar" });
    expect(await b.result).toMatch(/^error ERR_STORAGE_BUSY volume .* is in use by process \d+/);
    a.send("go");
    expect(await a.result).toMatch(/^done /);
    const c = await openController({ root: r });
    expect((await c.getVolume(path, IDType.Path)).EncryptionType).toBe(EncryptionType.Age);
    expect(readdirSync(path)).toEqual([".dms-volume.age"]);
    expect(readdirSync(join(r, TMP_DIR))).toEqual([]);
    await c.close();
    const d = startWorker({ root: r, op: "decrypt", path, keys: { identities: ["x"] }, cipher: "tar" });
    expect(await d.result).toMatch(/^done /);
    expect(await treeHash(path)).toBe(original);
  }, 60_000);

  it("two encrypts started together: exactly one wins, the other is refused, the result is whole", async () => {
    const r = root();
    const { path, original } = await encryptedVolume(r);
    const keys = { recipients: ["unused-by-tar"] };
    const results = await Promise.all(
      [0, 1].map(() => startWorker({ root: r, op: "encrypt", path, keys, cipher: "tar" }).result),
    );
    expect(results.filter((x) => x.startsWith("done"))).toHaveLength(1);
    // Refused either while the winner runs (BUSY) or after it finished (already encrypted).
    expect(results.find((x) => x.startsWith("error"))).toMatch(
      /^error (ERR_STORAGE_BUSY|ERR_STORAGE_ENCRYPTED) /,
    );
    expect(existsSync(join(path, ".dms-volume.age"))).toBe(true);
    const d = startWorker({ root: r, op: "decrypt", path, keys: { identities: ["x"] }, cipher: "tar" });
    expect(await d.result).toMatch(/^done /);
    expect(await treeHash(path)).toBe(original);
  }, 60_000);
});
