// The behaviour every VolumeRepository must have; repository.test.ts runs it on each backend.
import { parseStorageVolume } from "@dms/types";
import { describe, expect, it } from "vitest";
import { EncryptionType, type NewVolume, StorageError, type VolumeRepository } from "../src/index.js";

const base: NewVolume = {
  CID: "",
  Path: "/v/a",
  ReadOnly: false,
  Private: false,
  EncryptionType: EncryptionType.Null,
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StorageError) return e.code;
    throw e;
  }
  return undefined;
}

export function repositoryContract(name: string, factory: () => VolumeRepository): void {
  describe(`VolumeRepository contract: ${name}`, () => {
    it("create assigns an ID and times and get returns the same record", () => {
      const r = factory();
      const v = r.create(base);
      expect(v.ID).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(v.CreatedAt)).not.toBeNaN();
      expect(v.UpdatedAt).toBe(v.CreatedAt);
      expect(v).toMatchObject(base);
      expect(r.get(v.ID)).toEqual(v);
      // The record is a valid @dms/types StorageVolume, so it can go over the wire as is.
      expect(parseStorageVolume(JSON.parse(JSON.stringify(v)))).toEqual(v);
      r.close();
    });

    it("missing records are ERR_STORAGE_NOT_FOUND with upstream's text", () => {
      const r = factory();
      expect(() => r.get("nope")).toThrow("record not found");
      expect(code(() => r.get("nope"))).toBe("ERR_STORAGE_NOT_FOUND");
      expect(code(() => r.findByPath("/none"))).toBe("ERR_STORAGE_NOT_FOUND");
      expect(code(() => r.findByCid("none"))).toBe("ERR_STORAGE_NOT_FOUND");
      expect(code(() => r.update("nope", { ReadOnly: true }))).toBe("ERR_STORAGE_NOT_FOUND");
      expect(code(() => r.delete("nope"))).toBe("ERR_STORAGE_NOT_FOUND");
      r.close();
    });

    it("finds by path and by CID; an empty CID matches nothing", () => {
      const r = factory();
      const a = r.create(base);
      const b = r.create({ ...base, Path: "/v/b", CID: "baf222" });
      expect(r.findByPath("/v/a").ID).toBe(a.ID);
      expect(r.findByCid("baf222").ID).toBe(b.ID);
      expect(code(() => r.findByCid(""))).toBe("ERR_STORAGE_NOT_FOUND");
      r.close();
    });

    it("a second record with the same path is ERR_STORAGE_EXISTS", () => {
      const r = factory();
      r.create(base);
      expect(code(() => r.create(base))).toBe("ERR_STORAGE_EXISTS");
      expect(r.list()).toHaveLength(1);
      r.close();
    });

    it("update merges fields, keeps the rest and ID, and moves UpdatedAt forward", async () => {
      const r = factory();
      const v = r.create(base);
      await new Promise((res) => setTimeout(res, 5));
      const u = r.update(v.ID, { ReadOnly: true, CID: "abcdef", EncryptionType: EncryptionType.Age });
      expect(u).toMatchObject({ ID: v.ID, Path: "/v/a", ReadOnly: true, CID: "abcdef", Private: false });
      expect(u.EncryptionType).toBe(EncryptionType.Age);
      expect(u.CreatedAt).toBe(v.CreatedAt);
      expect(u.UpdatedAt > v.UpdatedAt).toBe(true);
      expect(r.get(v.ID)).toEqual(u);
      r.close();
    });

    it("rejects malformed records with ERR_STORAGE_INVALID_DATA", () => {
      const r = factory();
      const bad: unknown[] = [
        { ...base, Path: "" },
        { ...base, ReadOnly: "yes" },
        { ...base, Private: 1 },
        { ...base, CID: null },
        { ...base, EncryptionType: 7 },
      ];
      for (const b of bad) expect(code(() => r.create(b as NewVolume))).toBe("ERR_STORAGE_INVALID_DATA");
      const v = r.create(base);
      expect(code(() => r.update(v.ID, { EncryptionType: 9 as EncryptionType }))).toBe(
        "ERR_STORAGE_INVALID_DATA",
      );
      expect(r.get(v.ID).EncryptionType).toBe(EncryptionType.Null);
      r.close();
    });

    it("list returns every record oldest first; delete is hard and drops the manifest", () => {
      const r = factory();
      const ids = ["/v/1", "/v/2", "/v/3"].map((p) => r.create({ ...base, Path: p }).ID);
      expect(r.list().map((v) => v.ID)).toEqual(ids);
      r.putManifest(ids[1] as string, { digest: "sha256:00", manifest: "m" });
      r.delete(ids[1] as string);
      expect(r.list().map((v) => v.ID)).toEqual([ids[0], ids[2]]);
      expect(r.getManifest(ids[1] as string)).toBeUndefined();
      expect(code(() => r.get(ids[1] as string))).toBe("ERR_STORAGE_NOT_FOUND");
      r.close();
    });

    it("stores and replaces manifests; a manifest needs its record", () => {
      const r = factory();
      const v = r.create(base);
      expect(r.getManifest(v.ID)).toBeUndefined();
      r.putManifest(v.ID, { digest: "sha256:aa", manifest: "one" });
      r.putManifest(v.ID, { digest: "sha256:bb", manifest: "two\nlines" });
      expect(r.getManifest(v.ID)).toEqual({ digest: "sha256:bb", manifest: "two\nlines" });
      expect(code(() => r.putManifest("nope", { digest: "x", manifest: "y" }))).toBe("ERR_STORAGE_NOT_FOUND");
      r.close();
    });

    it("keeps one journal entry per volume, replaced by each step and cleared at the end", () => {
      const r = factory();
      expect(r.listJournal()).toEqual([]);
      r.setJournal({ volumeId: "a", op: "encrypt", phase: "writing" });
      r.setJournal({ volumeId: "b", op: "delete", phase: "removing" });
      r.setJournal({ volumeId: "a", op: "encrypt", phase: "archived" });
      expect(r.getJournal("a")).toEqual({ volumeId: "a", op: "encrypt", phase: "archived" });
      expect(r.listJournal()).toHaveLength(2);
      r.clearJournal("a");
      r.clearJournal("never");
      expect(r.getJournal("a")).toBeUndefined();
      expect(r.listJournal()).toEqual([{ volumeId: "b", op: "delete", phase: "removing" }]);
      r.close();
    });

    it("leases: one holder at a time, re-entrant per token, taken over only from a dead process", () => {
      const r = factory();
      const alive = new Set([100, 200]);
      const isAlive = (pid: number) => alive.has(pid);
      const a = { pid: 100, host: "h", token: "ta" };
      const b = { pid: 200, host: "h", token: "tb" };
      expect(r.acquireLease("v", a, isAlive)).toEqual({ ok: true });
      expect(r.acquireLease("v", a, isAlive)).toEqual({ ok: true });
      expect(r.acquireLease("v", b, isAlive)).toEqual({ ok: false, holder: a });
      // Another controller in the holder's own process is refused too.
      expect(r.acquireLease("v", { ...a, token: "other" }, isAlive).ok).toBe(false);
      // A holder on another host cannot be probed, so it is never taken over.
      r.acquireLease("w", { pid: 1, host: "elsewhere", token: "tw" }, () => false);
      expect(r.acquireLease("w", b, () => false).ok).toBe(false);
      r.releaseLease("v", "tb"); // not the holder: no effect
      expect(r.acquireLease("v", b, isAlive).ok).toBe(false);
      alive.delete(100);
      expect(r.acquireLease("v", b, isAlive)).toEqual({ ok: true });
      r.releaseLease("v", "tb");
      expect(r.acquireLease("v", a, () => true)).toEqual({ ok: true });
      r.close();
    });

    it("every call after close is ERR_STORAGE_CLOSED", () => {
      const r = factory();
      r.close();
      expect(code(() => r.list())).toBe("ERR_STORAGE_CLOSED");
      expect(code(() => r.create(base))).toBe("ERR_STORAGE_CLOSED");
      expect(code(() => r.listJournal())).toBe("ERR_STORAGE_CLOSED");
    });
  });
}
