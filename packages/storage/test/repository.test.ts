import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  EncryptionType,
  MemoryRepository,
  SCHEMA_VERSION,
  SqliteRepository,
  StorageError,
} from "../src/index.js";
import { repositoryContract } from "./contract.js";

const dir = mkdtempSync(join(tmpdir(), "dms-repo-"));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

repositoryContract("memory", () => new MemoryRepository());
repositoryContract("sqlite", () => SqliteRepository.open(join(dir, `contract-${n++}.db`)));

describe("SqliteRepository", () => {
  it("keeps records across close and reopen, in WAL mode at the current schema version", () => {
    const file = join(dir, "persist.db");
    const r = SqliteRepository.open(file);
    const v = r.create({
      CID: "c",
      Path: "/p",
      ReadOnly: true,
      Private: true,
      EncryptionType: EncryptionType.Age,
    });
    r.setJournal({ volumeId: v.ID, op: "encrypt", phase: "archived" });
    r.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = SqliteRepository.open(file);
    expect(again.get(v.ID)).toEqual(v);
    expect(again.getJournal(v.ID)).toEqual({ volumeId: v.ID, op: "encrypt", phase: "archived" });
    again.close();
  });

  it("refuses a database written by a newer schema with ERR_STORAGE_DATABASE", () => {
    const file = join(dir, "newer.db");
    SqliteRepository.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let err: unknown;
    try {
      SqliteRepository.open(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe("ERR_STORAGE_DATABASE");
    expect((err as StorageError).message).toMatch(/upgrade @dms\/storage/);
  });

  it("a file that is not a database is ERR_STORAGE_DATABASE", async () => {
    const file = join(dir, "junk.db");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "this is not sqlite, just some text that is long enough to be read as a header....");
    expect(() => SqliteRepository.open(file)).toThrow(
      expect.objectContaining({ code: "ERR_STORAGE_DATABASE" }),
    );
  });
});
