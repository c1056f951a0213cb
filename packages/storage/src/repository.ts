import type { EncryptionType, StorageVolume } from "./model.js";

/** The fields a caller supplies to create a record; the repository assigns ID and times. */
export interface NewVolume {
  CID: string;
  Path: string;
  ReadOnly: boolean;
  Private: boolean;
  EncryptionType: EncryptionType;
}

/** The fields {@link VolumeRepository.update} may change. */
export type VolumePatch = Partial<NewVolume>;

/** The manifest stored when a volume is locked, so `verify` can name what changed. */
export interface StoredManifest {
  digest: string;
  manifest: string;
}

/** An interrupted multi-step operation on a volume, as recorded before each irreversible step. */
export interface JournalEntry {
  volumeId: string;
  op: "encrypt" | "decrypt" | "delete";
  phase: string;
}

/** Who holds a volume lease. `token` tells two holders in one process apart. */
export interface LeaseOwner {
  pid: number;
  host: string;
  token: string;
}

/** Result of {@link VolumeRepository.acquireLease}: the current holder when it is not us. */
export type LeaseResult = { ok: true } | { ok: false; holder: LeaseOwner };

/**
 * Persistence for volume records, their lock manifests, the operation journal and volume leases.
 * Synchronous because both backends (SQLite, memory) are embedded; every method throws StorageError.
 * `repositoryContract` in the tests is the behaviour every implementation must pass.
 */
export interface VolumeRepository {
  /** Stores a new record with a fresh ID; `ERR_STORAGE_EXISTS` if the path is taken. */
  create(v: NewVolume): StorageVolume;
  /** `ERR_STORAGE_NOT_FOUND` ("record not found") when absent. */
  get(id: string): StorageVolume;
  /** First record with this path; `ERR_STORAGE_NOT_FOUND` when absent. */
  findByPath(path: string): StorageVolume;
  /** First record with this CID (oldest first); `ERR_STORAGE_NOT_FOUND` when absent or `cid` is empty. */
  findByCid(cid: string): StorageVolume;
  /** Merges `patch`, stamps UpdatedAt and returns the stored record; `ERR_STORAGE_NOT_FOUND` when absent. */
  update(id: string, patch: VolumePatch): StorageVolume;
  /** Hard delete of the record and its manifest; `ERR_STORAGE_NOT_FOUND` when absent. */
  delete(id: string): void;
  /** All records, oldest first. */
  list(): StorageVolume[];
  putManifest(volumeId: string, m: StoredManifest): void;
  getManifest(volumeId: string): StoredManifest | undefined;
  /** Records (or replaces) the journal entry of a volume. Durable before it returns. */
  setJournal(e: JournalEntry): void;
  getJournal(volumeId: string): JournalEntry | undefined;
  listJournal(): JournalEntry[];
  clearJournal(volumeId: string): void;
  /**
   * Takes the lease of a volume atomically. A lease held by a dead process on this host (per `isAlive`)
   * is taken over; a live holder, or another token of our own process, is returned as `holder`.
   */
  acquireLease(volumeId: string, me: LeaseOwner, isAlive: (pid: number) => boolean): LeaseResult;
  /** Drops the lease if `token` holds it; otherwise does nothing. */
  releaseLease(volumeId: string, token: string): void;
  close(): void;
}

/** Decides whether a lease row may be taken over by `me`. Shared by both backends. */
export function leaseIsFree(
  holder: LeaseOwner | undefined,
  me: LeaseOwner,
  isAlive: (pid: number) => boolean,
): boolean {
  if (!holder) return true;
  if (holder.token === me.token) return true;
  // A holder on another host cannot be probed; treat it as live rather than risk two writers.
  if (holder.host !== me.host) return false;
  if (holder.pid === me.pid) return false;
  return !isAlive(holder.pid);
}
