import { StorageError } from "./errors.js";
import { EncryptionType } from "./model.js";
import type { NewVolume } from "./repository.js";

/** Upstream's repositories.ErrNotFound text, kept so messages read the same. */
export function notFound(): StorageError {
  return new StorageError("ERR_STORAGE_NOT_FOUND", "record not found");
}

/** Record timestamps: RFC 3339 in UTC with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}

const encryptionTypes = new Set<number>(Object.values(EncryptionType));

/** Rejects a record both backends could store but no reader could trust ("invalid data given" upstream). */
export function checkNewVolume(v: NewVolume): void {
  const bad = (what: string) =>
    new StorageError("ERR_STORAGE_INVALID_DATA", `invalid data given: ${what}; fix the record and retry`);
  if (typeof v.Path !== "string" || v.Path === "") throw bad("Path must be a non-empty string");
  if (typeof v.CID !== "string") throw bad("CID must be a string");
  if (typeof v.ReadOnly !== "boolean") throw bad("ReadOnly must be a boolean");
  if (typeof v.Private !== "boolean") throw bad("Private must be a boolean");
  if (!encryptionTypes.has(v.EncryptionType))
    throw bad(`EncryptionType ${String(v.EncryptionType)} is unknown`);
}
