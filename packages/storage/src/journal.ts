// The journaled multi-step operations on a volume (encrypt, decrypt, delete) and their recovery.
// Encrypt and decrypt of a whole volume are crash-safe through the journal. The invariant: at every instant
// either the plaintext tree or the complete archive is on disk, and the journal phase says which one is
// authoritative, so recovery knows whether to roll back (discard the partial new form) or roll forward
// (finish discarding the old form). Every phase change is written to the database before the step it
// licenses, and every rename is followed by an fsync of the folder that holds it.
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DecryptKeys, EncryptKeys, VolumeCipher } from "./cipher.js";
import { fsError, StorageError } from "./errors.js";
import { fsyncPath, fsyncTree, removeTree } from "./fsutil.js";
import { EncryptionType, type StorageVolume } from "./model.js";
import type { JournalEntry, VolumeRepository } from "./repository.js";

/** Name of the archive that holds an encrypted volume's contents, inside the volume folder. */
export const ARCHIVE_NAME = ".dms-volume.age";
/**
 * Name of the controller's private folder inside a volume during decrypt. The archive is extracted into
 * `<volume>/.dms-extract/tree` (the cipher may keep its own temp files beside that, in this folder), then
 * entries are moved out; removing this folder removes every trace of an interrupted extraction.
 */
export const STAGING_NAME = ".dms-extract";
const TREE = "tree";
/** Folder under the storage root for archives being written (same filesystem, so rename is atomic). */
export const TMP_DIR = ".dms-tmp";

/** A step the controller reports through `onProgress`, awaited before the step runs. */
export interface ProgressEvent {
  volumeId: string;
  op: JournalEntry["op"];
  phase: string;
}

/** What a journaled operation needs from its controller. */
export interface StepContext {
  root: string;
  repo: VolumeRepository;
  cipher: VolumeCipher;
  progress: (e: ProgressEvent) => Promise<void>;
}

// Outside the volume so the archive being written is never part of what it archives; a folder per
// volume so that whatever temp files the cipher leaves beside its output are removed with it.
function tmpFolder(ctx: StepContext, vol: StorageVolume): string {
  return join(ctx.root, TMP_DIR, vol.ID);
}

function cipherError(e: unknown, doing: string): StorageError {
  const code = (e as { code?: unknown })?.code;
  if (e instanceof StorageError) return e;
  if (code === "ERR_AGE_ABORTED") {
    return new StorageError(
      "ERR_STORAGE_ABORTED",
      `interrupted while trying to ${doing}; the volume was left as it was, run the command again`,
      { cause: e },
    );
  }
  if (typeof code === "string" && (code.startsWith("ERR_AGE") || code.startsWith("ERR_ARCHIVE"))) {
    const hint =
      code === "ERR_AGE_NO_MATCH" || code === "ERR_AGE_KEY"
        ? "check the identities or recipients"
        : "the archive or key may be damaged";
    const errno = (e as { errno?: unknown }).errno;
    if ((code === "ERR_AGE_IO" || code === "ERR_AGE_NO_SPACE") && typeof errno === "string")
      return fsError(e, doing);
    return new StorageError("ERR_STORAGE_CIPHER", `failed to ${doing}: ${code}; ${hint}`, { cause: e });
  }
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) return fsError(e, doing);
  const why = e instanceof Error ? e.message : String(e);
  return new StorageError("ERR_STORAGE_CIPHER", `failed to ${doing}: ${why}`, { cause: e });
}

async function topLevel(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    throw fsError(e, "read volume folder", dir);
  }
}

async function step(ctx: StepContext, vol: StorageVolume, op: JournalEntry["op"], phase: string) {
  ctx.repo.setJournal({ volumeId: vol.ID, op, phase });
  await ctx.progress({ volumeId: vol.ID, op, phase });
}

/** Seals the volume into `<volume>/.dms-volume.age` and removes the plaintext. Caller holds the lease. */
export async function encryptVolumeSteps(ctx: StepContext, vol: StorageVolume, keys: EncryptKeys) {
  const names = await topLevel(vol.Path);
  const reserved = names.filter((n) => n === ARCHIVE_NAME || n === STAGING_NAME);
  if (reserved.length > 0) {
    throw new StorageError(
      "ERR_STORAGE_RESERVED_NAME",
      `volume ${vol.Path} holds ${reserved.join(", ")}, a name reserved for encryption; rename it and retry`,
    );
  }
  const folder = tmpFolder(ctx, vol);
  const tmp = join(folder, "archive.age");
  await step(ctx, vol, "encrypt", "writing");
  try {
    await removeTree(folder);
    await mkdir(folder, { recursive: true }).catch((e) => {
      throw fsError(e, "create temp folder", folder);
    });
    await ctx.cipher.encryptDir(vol.Path, tmp, keys).catch((e) => {
      throw cipherError(e, "encrypt volume");
    });
    await fsyncPath(tmp);
    await rename(tmp, join(vol.Path, ARCHIVE_NAME)).catch((e) => {
      throw fsError(e, "move archive into volume", tmp);
    });
    await fsyncPath(vol.Path);
    await fsyncPath(folder);
  } catch (e) {
    await rollbackEncrypt(ctx, vol).catch(() => undefined);
    throw e;
  }
  await step(ctx, vol, "encrypt", "archived");
  return finishEncrypt(ctx, vol);
}

async function rollbackEncrypt(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(tmpFolder(ctx, vol));
  await rm(join(vol.Path, ARCHIVE_NAME), { force: true }).catch((e) => {
    throw fsError(e, "remove partial archive", vol.Path);
  });
  await fsyncPath(vol.Path);
  ctx.repo.clearJournal(vol.ID);
}

async function finishEncrypt(ctx: StepContext, vol: StorageVolume): Promise<StorageVolume> {
  for (const name of await topLevel(vol.Path)) {
    if (name !== ARCHIVE_NAME) await removeTree(join(vol.Path, name));
  }
  await fsyncPath(vol.Path);
  await removeTree(tmpFolder(ctx, vol));
  const out = ctx.repo.update(vol.ID, { EncryptionType: EncryptionType.Age });
  ctx.repo.clearJournal(vol.ID);
  return out;
}

/** Extracts the archive into a staging folder, then moves entries out and removes the archive. */
export async function decryptVolumeSteps(ctx: StepContext, vol: StorageVolume, keys: DecryptKeys) {
  const archive = join(vol.Path, ARCHIVE_NAME);
  const staging = join(vol.Path, STAGING_NAME);
  const present = await topLevel(vol.Path);
  const others = present.filter((n) => n !== ARCHIVE_NAME && n !== STAGING_NAME);
  if (others.length > 0) {
    // Moving the decrypted entries out would overwrite or collide with these.
    throw new StorageError(
      "ERR_STORAGE_EXISTS",
      `encrypted volume ${vol.Path} also holds ${others.map((n) => JSON.stringify(n)).join(", ")}; ` +
        "move them out of the volume and retry",
    );
  }
  if (!present.includes(ARCHIVE_NAME)) {
    throw new StorageError(
      "ERR_STORAGE_NOT_FOUND",
      `encrypted volume ${vol.Path} has no ${ARCHIVE_NAME}; its contents are missing, restore them from a backup`,
      { path: archive },
    );
  }
  await step(ctx, vol, "decrypt", "extracting");
  try {
    await removeTree(staging);
    await mkdir(staging, { mode: 0o700 }).catch((e) => {
      throw fsError(e, "create staging folder", staging);
    });
    await ctx.cipher.extractTo(archive, join(staging, TREE), keys).catch((e) => {
      throw cipherError(e, "decrypt volume");
    });
    await fsyncTree(join(staging, TREE));
    await fsyncPath(staging);
    await fsyncPath(vol.Path);
  } catch (e) {
    await rollbackDecrypt(ctx, vol).catch(() => undefined);
    throw e;
  }
  await step(ctx, vol, "decrypt", "extracted");
  return finishDecrypt(ctx, vol);
}

async function rollbackDecrypt(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(join(vol.Path, STAGING_NAME));
  await fsyncPath(vol.Path);
  ctx.repo.clearJournal(vol.ID);
}

async function finishDecrypt(ctx: StepContext, vol: StorageVolume): Promise<StorageVolume> {
  const staging = join(vol.Path, STAGING_NAME);
  await rm(join(vol.Path, ARCHIVE_NAME), { force: true }).catch((e) => {
    throw fsError(e, "remove archive", vol.Path);
  });
  await fsyncPath(vol.Path);
  const tree = join(staging, TREE);
  const names = await readdir(tree).catch((e) => {
    // Gone: an earlier attempt moved every entry out and was removing the staging folder.
    if ((e as { code?: string }).code === "ENOENT") return [];
    throw fsError(e, "read staging folder", tree);
  });
  for (const name of names) {
    await rename(join(tree, name), join(vol.Path, name)).catch((e) => {
      throw fsError(e, "move decrypted entry into volume", join(tree, name));
    });
  }
  await fsyncPath(vol.Path);
  await removeTree(staging);
  await fsyncPath(vol.Path);
  const out = ctx.repo.update(vol.ID, { EncryptionType: EncryptionType.Null });
  ctx.repo.clearJournal(vol.ID);
  return out;
}

/** Removes a volume's folder, then its record; rolled forward if interrupted. Caller holds the lease. */
export async function deleteVolumeSteps(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await step(ctx, vol, "delete", "removing");
  await finishDelete(ctx, vol);
}

async function finishDelete(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(vol.Path);
  await removeTree(tmpFolder(ctx, vol));
  try {
    ctx.repo.delete(vol.ID);
  } catch (e) {
    if (!(e instanceof StorageError && e.code === "ERR_STORAGE_NOT_FOUND")) throw e;
  }
  ctx.repo.clearJournal(vol.ID);
}

/** What recovery did with one journal entry. */
export type RecoveryAction = "rolled-back" | "rolled-forward";

/**
 * Completes or undoes an interrupted operation from its journal entry. Caller holds the lease.
 * Idempotent: a crash during recovery leaves the same entry for the next attempt.
 */
export async function recoverEntry(ctx: StepContext, entry: JournalEntry): Promise<RecoveryAction> {
  let vol: StorageVolume;
  try {
    vol = ctx.repo.get(entry.volumeId);
  } catch (e) {
    if (!(e instanceof StorageError && e.code === "ERR_STORAGE_NOT_FOUND")) throw e;
    // The record is deleted last, so its folder is already gone: nothing is left to finish.
    ctx.repo.clearJournal(entry.volumeId);
    return "rolled-forward";
  }
  const key = `${entry.op}:${entry.phase}`;
  switch (key) {
    case "encrypt:writing":
      await rollbackEncrypt(ctx, vol);
      return "rolled-back";
    case "encrypt:archived":
      await finishEncrypt(ctx, vol);
      return "rolled-forward";
    case "decrypt:extracting":
      await rollbackDecrypt(ctx, vol);
      return "rolled-back";
    case "decrypt:extracted":
      await finishDecrypt(ctx, vol);
      return "rolled-forward";
    case "delete:removing":
      await finishDelete(ctx, vol);
      return "rolled-forward";
    default:
      throw new StorageError(
        "ERR_STORAGE_DATABASE",
        `journal holds an unknown step ${key} for volume ${vol.Path}; upgrade @dms/storage`,
      );
  }
}
