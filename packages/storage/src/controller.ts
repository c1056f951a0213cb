import { randomInt, randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { ageCipher } from "./age.js";
import type { DecryptKeys, EncryptKeys, VolumeCipher } from "./cipher.js";
import { fsError, StorageError } from "./errors.js";
import { chmodTree, removeTree, treeSize, walk } from "./fsutil.js";
import {
  decryptVolumeSteps,
  deleteVolumeSteps,
  encryptVolumeSteps,
  type ProgressEvent,
  type RecoveryAction,
  recoverEntry,
  type StepContext,
} from "./journal.js";
import { buildManifest, diffManifests } from "./manifest.js";
import { EncryptionType, IDType, type StorageVolume, VolumeSource } from "./model.js";
import type { JournalEntry, LeaseOwner, VolumeRepository } from "./repository.js";
import { SqliteRepository } from "./sqlite.js";

/** File name of the SQLite database inside the storage root. */
export const DATABASE_FILE = "dms-storage.db";

/** Options of {@link openController}. */
export interface ControllerOptions {
  /** Folder that holds the volumes and the database; created if missing. */
  root: string;
  /** Record store; default: SQLite at `<root>/dms-storage.db`. The controller closes it on close(). */
  repository?: VolumeRepository | undefined;
  /** Encryption for encrypt/decrypt; default: `ageCipher()` (age on @dms/crypto). */
  cipher?: VolumeCipher | undefined;
  /** Awaited before each journaled step (encrypt, decrypt, delete): for progress display and tests. */
  onProgress?: ((e: ProgressEvent) => void | Promise<void>) | undefined;
}

/** Options of {@link VolumeController.createVolume} (upstream `WithPrivate`). */
export interface CreateOptions {
  private?: boolean | undefined;
}

/** Options of {@link VolumeController.lockVolume} (upstream `WithCID`, `WithPrivate`). */
export interface LockOptions {
  /** Store this CID instead of the computed digest (not validated, as upstream). */
  cid?: string | undefined;
  private?: boolean | undefined;
}

/** Result of {@link VolumeController.verifyVolume}. */
export interface VerifyResult {
  /** True when the tree matches the manifest stored at lock time. */
  ok: boolean;
  /** Digest stored at lock time and digest of the tree now (`sha256:<hex>`). */
  expected: string;
  actual: string;
  cid: string;
  added: string[];
  removed: string[];
  modified: string[];
}

/** One journal entry found at open and what was done with it. */
export interface RecoveryReport {
  volumeId: string;
  op: JournalEntry["op"];
  phase: string;
  /** `busy`: another live process holds the volume (its operation is still running, not interrupted). */
  outcome: RecoveryAction | "busy" | "failed";
  error?: StorageError | undefined;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SOURCES = new Set<string>(Object.values(VolumeSource));

function randomLetters(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += LETTERS[randomInt(LETTERS.length)];
  return s;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/**
 * Manages volumes under one root: records in a repository, folders on disk. Safe to use from several
 * processes on the same root: each change to a volume holds that volume's lease, and a second caller
 * gets ERR_STORAGE_BUSY instead of waiting.
 */
export class VolumeController {
  /** Absolute storage root. */
  readonly root: string;
  /** What {@link openController} found in the journal and did about it. */
  readonly recovered: RecoveryReport[] = [];
  readonly #repo: VolumeRepository;
  readonly #cipher: VolumeCipher;
  readonly #onProgress: ControllerOptions["onProgress"];
  readonly #me: LeaseOwner = { pid: process.pid, host: hostname(), token: randomUUID() };
  readonly #busy = new Set<string>();
  #closed = false;

  /** Use {@link openController}, which also prepares the root and recovers interrupted steps. */
  constructor(root: string, repo: VolumeRepository, opts: Pick<ControllerOptions, "cipher" | "onProgress">) {
    this.root = root;
    this.#repo = repo;
    this.#cipher = opts.cipher ?? ageCipher();
    this.#onProgress = opts.onProgress;
  }

  #ctx(): StepContext {
    return {
      root: this.root,
      repo: this.#repo,
      cipher: this.#cipher,
      progress: async (e) => {
        await this.#onProgress?.(e);
      },
    };
  }

  #check(): void {
    if (this.#closed)
      throw new StorageError("ERR_STORAGE_CLOSED", "volume controller is closed; open a new one");
  }

  /** Runs `fn` holding the volume's lease, after finishing any interrupted step of that volume. */
  // `replaces`: the operation supersedes any interrupted step (delete), so a step that cannot be
  // finished (a damaged archive, a folder removed by hand) does not keep the volume from being removed.
  async #withLease<T>(
    vol: StorageVolume,
    fn: (vol: StorageVolume) => Promise<T>,
    replaces = false,
  ): Promise<T> {
    this.#check();
    if (this.#busy.has(vol.ID)) throw busy(vol, this.#me);
    const got = this.#repo.acquireLease(vol.ID, this.#me, isAlive);
    if (!got.ok) throw busy(vol, got.holder);
    this.#busy.add(vol.ID);
    try {
      const pending = this.#repo.getJournal(vol.ID);
      if (pending) {
        try {
          await recoverEntry(this.#ctx(), pending);
        } catch (e) {
          if (!replaces) throw e;
        }
      }
      // Re-read: recovery, or another process before we got the lease, may have changed the record.
      return await fn(this.#repo.get(vol.ID));
    } finally {
      this.#busy.delete(vol.ID);
      this.#repo.releaseLease(vol.ID, this.#me.token);
    }
  }

  /** @internal Called once by openController. */
  async recover(): Promise<void> {
    for (const entry of this.#repo.listJournal()) {
      const got = this.#repo.acquireLease(entry.volumeId, this.#me, isAlive);
      const report: RecoveryReport = {
        volumeId: entry.volumeId,
        op: entry.op,
        phase: entry.phase,
        outcome: "busy",
      };
      if (!got.ok) {
        this.recovered.push(report);
        continue;
      }
      try {
        // Its owner may have finished the step between listJournal and acquireLease: nothing to report.
        const current = this.#repo.getJournal(entry.volumeId);
        if (!current) continue;
        this.recovered.push(report);
        report.outcome = await recoverEntry(this.#ctx(), current);
      } catch (e) {
        report.outcome = "failed";
        report.error = e instanceof StorageError ? e : fsError(e, "recover interrupted step");
      } finally {
        this.#repo.releaseLease(entry.volumeId, this.#me.token);
      }
    }
  }

  /**
   * Creates `<root>/<source>-<16 random letters>` and its record (ReadOnly false, CID "", not encrypted).
   * If the record cannot be stored, the folder is removed again.
   * @throws RangeError if `source` is not a {@link VolumeSource}
   * @throws StorageError ERR_STORAGE_PERMISSION, ERR_STORAGE_IO, ERR_STORAGE_DATABASE, ERR_STORAGE_BUSY
   */
  async createVolume(source: VolumeSource, opts: CreateOptions = {}): Promise<StorageVolume> {
    this.#check();
    if (!SOURCES.has(source)) {
      throw new RangeError(`source must be one of ${[...SOURCES].join(", ")}; got ${JSON.stringify(source)}`);
    }
    for (let attempt = 0; ; attempt++) {
      const path = join(this.root, `${source}-${randomLetters(16)}`);
      try {
        // A private volume is the owner's alone from the start (mkdir's mode is further masked by the umask).
        await mkdir(path, opts.private === true ? 0o700 : 0o777);
      } catch (e) {
        if ((e as { code?: string }).code === "EEXIST" && attempt < 5) continue;
        throw fsError(e, "create storage volume", path);
      }
      try {
        return this.#repo.create({
          CID: "",
          Path: path,
          ReadOnly: false,
          Private: opts.private === true,
          EncryptionType: EncryptionType.Null,
        });
      } catch (e) {
        await removeTree(path).catch(() => undefined);
        throw e;
      }
    }
  }

  /**
   * Makes a volume read-only (record, and every file 0444 / folder 0555 on disk), computes the digest of
   * its canonical manifest and stores it as CID unless `opts.cid` is given. Locking again re-computes.
   * @throws StorageError ERR_STORAGE_NOT_FOUND, ERR_STORAGE_BUSY, ERR_STORAGE_UNSUPPORTED_ENTRY, filesystem codes
   */
  async lockVolume(path: string, opts: LockOptions = {}): Promise<StorageVolume> {
    const vol = this.#byPath(path);
    return this.#withLease(vol, async (cur) => {
      // Checked before the chmod so that a refused lock leaves the tree as it was.
      for (const e of await walk(cur.Path)) {
        if (!e.stats.isFile() && !e.stats.isDirectory() && !e.stats.isSymbolicLink()) {
          throw new StorageError(
            "ERR_STORAGE_UNSUPPORTED_ENTRY",
            `volume holds ${e.rel}, which is not a file, folder or symbolic link; remove it and retry`,
            { path: e.abs },
          );
        }
      }
      // Locking makes a volume read-only; a private one stays unreadable by others.
      const priv = opts.private === true || cur.Private;
      await chmodTree(cur.Path, priv ? 0o400 : 0o444, priv ? 0o500 : 0o555);
      const m = await buildManifest(cur.Path);
      this.#repo.putManifest(cur.ID, { digest: m.digest, manifest: m.text });
      return this.#repo.update(cur.ID, {
        ReadOnly: true,
        CID: opts.cid ?? m.digest,
        Private: opts.private === true ? true : cur.Private,
      });
    });
  }

  /**
   * Recomputes a locked volume's manifest and compares it with the one stored at lock time.
   * @throws StorageError ERR_STORAGE_NOT_FOUND, ERR_STORAGE_NOT_LOCKED, filesystem codes
   */
  async verifyVolume(path: string): Promise<VerifyResult> {
    const vol = this.#byPath(path);
    const stored = this.#repo.getManifest(vol.ID);
    if (!vol.ReadOnly || !stored) {
      throw new StorageError(
        "ERR_STORAGE_NOT_LOCKED",
        `volume ${path} is not locked; lock it before verifying`,
      );
    }
    const now = await buildManifest(vol.Path);
    return {
      ok: now.digest === stored.digest,
      expected: stored.digest,
      actual: now.digest,
      cid: vol.CID,
      ...diffManifests(stored.manifest, now.text),
    };
  }

  /**
   * Removes a volume's folder and then its record (journaled, so an interruption is finished later).
   * Works whatever state the volume is in: an interrupted step that cannot be finished is superseded,
   * a folder already gone (or read-only, or holding the work of a failed step) is fine.
   * @throws StorageError ERR_STORAGE_INVALID_ID_TYPE, ERR_STORAGE_NOT_FOUND, ERR_STORAGE_BUSY, filesystem codes
   */
  async deleteVolume(id: string, idType: IDType): Promise<void> {
    const vol = this.#lookup(id, idType);
    await this.#withLease(vol, (cur) => deleteVolumeSteps(this.#ctx(), cur), true);
  }

  /** All volume records, oldest first. @throws StorageError ERR_STORAGE_DATABASE */
  async listVolumes(): Promise<StorageVolume[]> {
    this.#check();
    return this.#repo.list();
  }

  /** Looks a volume up by path or CID. @throws StorageError ERR_STORAGE_INVALID_ID_TYPE, ERR_STORAGE_NOT_FOUND */
  async getVolume(id: string, idType: IDType): Promise<StorageVolume> {
    return this.#lookup(id, idType);
  }

  /**
   * Total size in bytes of the regular files in a volume (an encrypted volume: its archive).
   * @throws StorageError ERR_STORAGE_INVALID_ID_TYPE, ERR_STORAGE_NOT_FOUND, filesystem codes
   */
  async getSize(id: string, idType: IDType): Promise<number> {
    return treeSize(this.#lookup(id, idType).Path);
  }

  /**
   * Replaces a volume's contents with one age archive, `<volume>/.dms-volume.age`, and sets
   * EncryptionType to Age. Crash-safe (see README). Locked volumes are refused: their digest would break.
   * @throws TypeError without recipients or passphrase
   * @throws StorageError ERR_STORAGE_NOT_FOUND, ERR_STORAGE_LOCKED, ERR_STORAGE_ENCRYPTED, ERR_STORAGE_BUSY,
   *   ERR_STORAGE_RESERVED_NAME, ERR_STORAGE_CIPHER, filesystem codes
   */
  async encryptVolume(path: string, keys: EncryptKeys): Promise<StorageVolume> {
    if (!(keys?.recipients && keys.recipients.length > 0) && typeof keys?.passphrase !== "string") {
      throw new TypeError("keys must have a non-empty recipients array or a passphrase");
    }
    return this.#withLease(this.#byPath(path), async (cur) => {
      if (cur.ReadOnly) throw locked(cur, "encrypted");
      if (cur.EncryptionType !== EncryptionType.Null) {
        throw new StorageError(
          "ERR_STORAGE_ENCRYPTED",
          `volume ${cur.Path} is already encrypted; decrypt it first`,
        );
      }
      return encryptVolumeSteps(this.#ctx(), cur, keys);
    });
  }

  /**
   * Restores a volume's contents from its archive and sets EncryptionType back to Null. Crash-safe.
   * @throws TypeError without identities or passphrase
   * @throws StorageError ERR_STORAGE_NOT_FOUND, ERR_STORAGE_LOCKED, ERR_STORAGE_NOT_ENCRYPTED, ERR_STORAGE_BUSY,
   *   ERR_STORAGE_CIPHER, filesystem codes
   */
  async decryptVolume(path: string, keys: DecryptKeys): Promise<StorageVolume> {
    if (!(keys?.identities && keys.identities.length > 0) && typeof keys?.passphrase !== "string") {
      throw new TypeError("keys must have a non-empty identities array or a passphrase");
    }
    return this.#withLease(this.#byPath(path), async (cur) => {
      if (cur.ReadOnly) throw locked(cur, "decrypted");
      if (cur.EncryptionType !== EncryptionType.Age) {
        throw new StorageError(
          "ERR_STORAGE_NOT_ENCRYPTED",
          `volume ${cur.Path} is not encrypted; nothing to do`,
        );
      }
      return decryptVolumeSteps(this.#ctx(), cur, keys);
    });
  }

  /** Closes the repository. Later calls throw ERR_STORAGE_CLOSED. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#repo.close();
  }

  #byPath(path: string): StorageVolume {
    this.#check();
    if (typeof path !== "string") throw new TypeError(`path must be a string; got ${typeof path}`);
    return this.#repo.findByPath(resolve(path));
  }

  #lookup(id: string, idType: IDType): StorageVolume {
    this.#check();
    if (typeof id !== "string") throw new TypeError(`id must be a string; got ${typeof id}`);
    if (idType === IDType.Path) return this.#repo.findByPath(resolve(id));
    if (idType === IDType.CID) return this.#repo.findByCid(id);
    throw new StorageError(
      "ERR_STORAGE_INVALID_ID_TYPE",
      `invalid identifier type ${String(idType)}; use IDType.Path (1) or IDType.CID (2)`,
    );
  }
}

function busy(vol: StorageVolume, holder: LeaseOwner): StorageError {
  return new StorageError(
    "ERR_STORAGE_BUSY",
    `volume ${vol.Path} is in use by process ${holder.pid} on ${holder.host}; retry when it finishes`,
  );
}

function locked(vol: StorageVolume, verb: string): StorageError {
  return new StorageError(
    "ERR_STORAGE_LOCKED",
    `volume ${vol.Path} is locked (read-only) and cannot be ${verb}; its content digest would no longer match`,
  );
}

/**
 * Opens a controller on `root`: creates the folder if missing, opens the database
 * (`<root>/dms-storage.db` unless a repository is given), and finishes or rolls back any operation a
 * crash interrupted (see `controller.recovered`).
 * @throws StorageError ERR_STORAGE_PERMISSION, ERR_STORAGE_IO, ERR_STORAGE_DATABASE, ERR_STORAGE_BUSY
 * @example
 * const c = await openController({ root: defaultStorageRoot() });
 * const vol = await c.createVolume(VolumeSource.Job);
 * await c.close();
 */
export async function openController(opts: ControllerOptions): Promise<VolumeController> {
  if (typeof opts?.root !== "string" || opts.root.trim() === "") {
    throw new TypeError("root must be a non-empty string path");
  }
  const root = resolve(opts.root);
  try {
    await mkdir(root, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw fsError(e, "create storage root", root);
  }
  const repo = opts.repository ?? SqliteRepository.open(join(root, DATABASE_FILE));
  const c = new VolumeController(root, repo, opts);
  try {
    await c.recover();
  } catch (e) {
    repo.close();
    throw e;
  }
  return c;
}
