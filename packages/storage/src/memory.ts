import { randomUUID } from "node:crypto";
import { StorageError } from "./errors.js";
import type { StorageVolume } from "./model.js";
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

/**
 * A {@link VolumeRepository} in process memory, for tests and throwaway tools. Nothing survives the
 * process, so it offers no crash recovery and no coordination between processes.
 */
export class MemoryRepository implements VolumeRepository {
  #volumes = new Map<string, StorageVolume>();
  #manifests = new Map<string, StoredManifest>();
  #journal = new Map<string, JournalEntry>();
  #leases = new Map<string, LeaseOwner>();
  #closed = false;

  #open(): void {
    if (this.#closed) throw new StorageError("ERR_STORAGE_CLOSED", "repository is closed; open a new one");
  }

  create(v: NewVolume): StorageVolume {
    this.#open();
    checkNewVolume(v);
    for (const r of this.#volumes.values()) {
      if (r.Path === v.Path) {
        throw new StorageError("ERR_STORAGE_EXISTS", `a volume record with path ${v.Path} already exists`);
      }
    }
    const t = now();
    const rec: StorageVolume = { ID: randomUUID(), CreatedAt: t, UpdatedAt: t, ...pick(v) };
    this.#volumes.set(rec.ID, rec);
    return { ...rec };
  }

  get(id: string): StorageVolume {
    this.#open();
    const r = this.#volumes.get(id);
    if (!r) throw notFound();
    return { ...r };
  }

  findByPath(path: string): StorageVolume {
    return this.#find((r) => r.Path === path);
  }

  findByCid(cid: string): StorageVolume {
    if (cid === "") throw notFound();
    return this.#find((r) => r.CID === cid);
  }

  #find(pred: (r: StorageVolume) => boolean): StorageVolume {
    this.#open();
    for (const r of this.#volumes.values()) if (pred(r)) return { ...r };
    throw notFound();
  }

  update(id: string, patch: VolumePatch): StorageVolume {
    const cur = this.get(id);
    const next: StorageVolume = { ...cur, ...pick({ ...cur, ...patch }), UpdatedAt: now() };
    checkNewVolume(next);
    this.#volumes.set(id, next);
    return { ...next };
  }

  delete(id: string): void {
    this.#open();
    if (!this.#volumes.delete(id)) throw notFound();
    this.#manifests.delete(id);
  }

  list(): StorageVolume[] {
    this.#open();
    return [...this.#volumes.values()].map((r) => ({ ...r }));
  }

  putManifest(volumeId: string, m: StoredManifest): void {
    this.get(volumeId);
    this.#manifests.set(volumeId, { ...m });
  }

  getManifest(volumeId: string): StoredManifest | undefined {
    this.#open();
    const m = this.#manifests.get(volumeId);
    return m && { ...m };
  }

  setJournal(e: JournalEntry): void {
    this.#open();
    this.#journal.set(e.volumeId, { ...e });
  }

  getJournal(volumeId: string): JournalEntry | undefined {
    this.#open();
    const e = this.#journal.get(volumeId);
    return e && { ...e };
  }

  listJournal(): JournalEntry[] {
    this.#open();
    return [...this.#journal.values()].map((e) => ({ ...e }));
  }

  clearJournal(volumeId: string): void {
    this.#open();
    this.#journal.delete(volumeId);
  }

  acquireLease(volumeId: string, me: LeaseOwner, isAlive: (pid: number) => boolean): LeaseResult {
    this.#open();
    const holder = this.#leases.get(volumeId);
    if (holder && !leaseIsFree(holder, me, isAlive)) return { ok: false, holder: { ...holder } };
    this.#leases.set(volumeId, { ...me });
    return { ok: true };
  }

  releaseLease(volumeId: string, token: string): void {
    this.#open();
    if (this.#leases.get(volumeId)?.token === token) this.#leases.delete(volumeId);
  }

  close(): void {
    this.#closed = true;
  }
}

function pick(v: NewVolume): NewVolume {
  return {
    CID: v.CID,
    Path: v.Path,
    ReadOnly: v.ReadOnly,
    Private: v.Private,
    EncryptionType: v.EncryptionType,
  };
}
