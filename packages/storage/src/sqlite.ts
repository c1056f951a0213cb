import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { StorageError } from "./errors.js";
import type { EncryptionType, StorageVolume } from "./model.js";
import { checkNewVolume, notFound, now } from "./records.js";
import {
  type JournalEntry,
  type LeaseOwner,
  type LeaseResult,
  leaseIsFree,
  type NewVolume,
  type StoredManifest,
  type VolumePatch,
  type VolumeRepository,
} from "./repository.js";

// Each entry moves the schema from version i to i+1 (PRAGMA user_version). Append only; never edit.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE volumes (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     deleted_at TEXT,
     cid TEXT NOT NULL DEFAULT '',
     path TEXT NOT NULL UNIQUE,
     read_only INTEGER NOT NULL,
     private INTEGER NOT NULL,
     encryption_type INTEGER NOT NULL
   );
   CREATE INDEX volumes_cid ON volumes(cid);
   CREATE TABLE manifests (
     volume_id TEXT PRIMARY KEY REFERENCES volumes(id) ON DELETE CASCADE,
     digest TEXT NOT NULL,
     manifest TEXT NOT NULL
   );
   CREATE TABLE journal (
     volume_id TEXT PRIMARY KEY,
     op TEXT NOT NULL,
     phase TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE leases (
     volume_id TEXT PRIMARY KEY,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     token TEXT NOT NULL,
     acquired_at TEXT NOT NULL
   );`,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

interface Row {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  cid: string;
  path: string;
  read_only: number;
  private: number;
  encryption_type: number;
}

function toVolume(r: Row): StorageVolume {
  const v: StorageVolume = {
    ID: r.id,
    CreatedAt: r.created_at,
    UpdatedAt: r.updated_at,
    CID: r.cid,
    Path: r.path,
    ReadOnly: r.read_only === 1,
    Private: r.private === 1,
    EncryptionType: r.encryption_type as EncryptionType,
  };
  if (r.deleted_at !== null) v.DeletedAt = r.deleted_at;
  return v;
}

function dbError(e: unknown, doing: string, file: string): StorageError {
  if (e instanceof StorageError) return e;
  const code = (e as { code?: unknown })?.code;
  // A full disk is the same situation whether SQLite or a plain write met it.
  if (
    code === "SQLITE_FULL" ||
    (typeof code === "string" &&
      code.startsWith("SQLITE_IOERR") &&
      /full|space/i.test(String((e as Error).message)))
  ) {
    return new StorageError(
      "ERR_STORAGE_NO_SPACE",
      `failed to ${doing}: no space left on the device (${file}); free some space and retry`,
      { cause: e, errno: "ENOSPC", path: file },
    );
  }
  // SQLITE_BUSY_SNAPSHOT, _RECOVERY, _TIMEOUT and SQLITE_LOCKED_* are the same situation for the caller.
  if (typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))) {
    return new StorageError(
      "ERR_STORAGE_BUSY",
      `database is busy while trying to ${doing}; another process holds it, retry shortly`,
      { cause: e },
    );
  }
  if (typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT")) {
    return new StorageError(
      "ERR_STORAGE_EXISTS",
      `failed to ${doing}: a record with that path already exists`,
      {
        cause: e,
      },
    );
  }
  const why = e instanceof Error ? e.message : String(e);
  return new StorageError("ERR_STORAGE_DATABASE", `database error while trying to ${doing}: ${why}`, {
    cause: e,
  });
}

/**
 * A {@link VolumeRepository} in one SQLite file (WAL mode, busy timeout, synchronous=FULL so a journal
 * step that returned survives a power cut). Safe to open from several processes at once.
 */
export class SqliteRepository implements VolumeRepository {
  readonly #db: Database.Database;
  readonly #file: string;

  private constructor(db: Database.Database, file: string) {
    this.#db = db;
    this.#file = file;
  }

  /**
   * Opens (creating if needed) the database file and migrates it to {@link SCHEMA_VERSION}.
   * @param busyTimeoutMs how long a statement waits for another process's write lock.
   * @throws StorageError ERR_STORAGE_DATABASE (unreadable, or written by a newer version), ERR_STORAGE_BUSY
   */
  static open(file: string, busyTimeoutMs = 10_000): SqliteRepository {
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: busyTimeoutMs });
    } catch (e) {
      throw dbError(e, `open database ${file}`, file);
    }
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      migrate(db);
    } catch (e) {
      db.close();
      throw dbError(e, `prepare database ${file}`, file);
    }
    return new SqliteRepository(db, file);
  }

  #run<T>(doing: string, fn: () => T): T {
    if (!this.#db.open) throw new StorageError("ERR_STORAGE_CLOSED", "repository is closed; open a new one");
    try {
      return fn();
    } catch (e) {
      throw dbError(e, doing, this.#file);
    }
  }

  create(v: NewVolume): StorageVolume {
    checkNewVolume(v);
    return this.#run("create volume record", () => {
      const t = now();
      const id = randomUUID();
      this.#db
        .prepare(
          `INSERT INTO volumes (id, created_at, updated_at, cid, path, read_only, private, encryption_type)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, t, t, v.CID, v.Path, v.ReadOnly ? 1 : 0, v.Private ? 1 : 0, v.EncryptionType);
      return this.get(id);
    });
  }

  get(id: string): StorageVolume {
    return this.#one("SELECT * FROM volumes WHERE id = ?", id);
  }

  findByPath(path: string): StorageVolume {
    return this.#one("SELECT * FROM volumes WHERE path = ?", path);
  }

  findByCid(cid: string): StorageVolume {
    if (cid === "") throw notFound();
    return this.#one("SELECT * FROM volumes WHERE cid = ? ORDER BY seq LIMIT 1", cid);
  }

  #one(sql: string, arg: string): StorageVolume {
    const row = this.#run("read volume record", () => this.#db.prepare(sql).get(arg) as Row | undefined);
    if (!row) throw notFound();
    return toVolume(row);
  }

  update(id: string, patch: VolumePatch): StorageVolume {
    // IMMEDIATE, as every read-then-write here: a deferred transaction that reads and then writes fails
    // at once (SQLITE_BUSY_SNAPSHOT) when another process wrote in between; the busy timeout cannot help.
    return this.#run("update volume record", () =>
      this.#db
        .transaction(() => {
          const cur = this.get(id);
          const next = { ...cur, ...patch };
          checkNewVolume(next);
          this.#db
            .prepare(
              `UPDATE volumes SET updated_at = ?, cid = ?, path = ?, read_only = ?, private = ?, encryption_type = ?
             WHERE id = ?`,
            )
            .run(
              now(),
              next.CID,
              next.Path,
              next.ReadOnly ? 1 : 0,
              next.Private ? 1 : 0,
              next.EncryptionType,
              id,
            );
          return this.get(id);
        })
        .immediate(),
    );
  }

  delete(id: string): void {
    const changes = this.#run("delete volume record", () =>
      this.#db
        .transaction(() => {
          this.#db.prepare("DELETE FROM manifests WHERE volume_id = ?").run(id);
          return this.#db.prepare("DELETE FROM volumes WHERE id = ?").run(id).changes;
        })
        .immediate(),
    );
    if (changes === 0) throw notFound();
  }

  list(): StorageVolume[] {
    return this.#run("list volume records", () =>
      (this.#db.prepare("SELECT * FROM volumes ORDER BY seq").all() as Row[]).map(toVolume),
    );
  }

  putManifest(volumeId: string, m: StoredManifest): void {
    this.get(volumeId);
    this.#run("store manifest", () =>
      this.#db
        .prepare("INSERT OR REPLACE INTO manifests (volume_id, digest, manifest) VALUES (?, ?, ?)")
        .run(volumeId, m.digest, m.manifest),
    );
  }

  getManifest(volumeId: string): StoredManifest | undefined {
    return this.#run("read manifest", () =>
      this.#db.prepare("SELECT digest, manifest FROM manifests WHERE volume_id = ?").get(volumeId),
    ) as StoredManifest | undefined;
  }

  setJournal(e: JournalEntry): void {
    this.#run("write journal", () =>
      this.#db
        .prepare("INSERT OR REPLACE INTO journal (volume_id, op, phase, updated_at) VALUES (?, ?, ?, ?)")
        .run(e.volumeId, e.op, e.phase, now()),
    );
  }

  getJournal(volumeId: string): JournalEntry | undefined {
    return this.#run("read journal", () =>
      this.#db
        .prepare("SELECT volume_id AS volumeId, op, phase FROM journal WHERE volume_id = ?")
        .get(volumeId),
    ) as JournalEntry | undefined;
  }

  listJournal(): JournalEntry[] {
    return this.#run("read journal", () =>
      this.#db.prepare("SELECT volume_id AS volumeId, op, phase FROM journal ORDER BY rowid").all(),
    ) as JournalEntry[];
  }

  clearJournal(volumeId: string): void {
    this.#run("clear journal", () =>
      this.#db.prepare("DELETE FROM journal WHERE volume_id = ?").run(volumeId),
    );
  }

  acquireLease(volumeId: string, me: LeaseOwner, isAlive: (pid: number) => boolean): LeaseResult {
    // IMMEDIATE takes the write lock before the read, so two processes cannot both see the lease free.
    return this.#run("take volume lease", () =>
      this.#db
        .transaction((): LeaseResult => {
          const holder = this.#db
            .prepare("SELECT pid, host, token FROM leases WHERE volume_id = ?")
            .get(volumeId) as LeaseOwner | undefined;
          if (holder && !leaseIsFree(holder, me, isAlive)) return { ok: false, holder };
          this.#db
            .prepare(
              "INSERT OR REPLACE INTO leases (volume_id, pid, host, token, acquired_at) VALUES (?, ?, ?, ?, ?)",
            )
            .run(volumeId, me.pid, me.host, me.token, now());
          return { ok: true };
        })
        .immediate(),
    );
  }

  releaseLease(volumeId: string, token: string): void {
    this.#run("release volume lease", () =>
      this.#db.prepare("DELETE FROM leases WHERE volume_id = ? AND token = ?").run(volumeId, token),
    );
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StorageError(
        "ERR_STORAGE_DATABASE",
        `database schema version ${version} is newer than this version of @dms/storage understands ` +
          `(${MIGRATIONS.length}); upgrade @dms/storage`,
      );
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
