// The journaled multi-step operations on a volume (encrypt, decrypt, delete) and their recovery.
// Encrypt and decrypt of a whole volume are crash-safe through the journal. The invariant: at every instant
// either the plaintext tree or the complete archive is on disk, and the journal phase says which one is
// authoritative, so recovery knows whether to roll back (discard the partial new form) or roll forward
// (finish discarding the old form). Every phase change is written to the database before the step it
// licenses, and every rename is followed by an fsync of the folder that holds it.
import type { Stats } from "node:fs";
import { lstat, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { move } from "fs-extra/esm";
import type { DecryptKeys, EncryptKeys, VolumeCipher } from "./cipher.js";
import { type CipherStep, cipherError, fsError, StorageError } from "./errors.js";
import {
  chmodSame,
  ensurePrivateDir,
  fsyncPath,
  fsyncTree,
  removeTree,
  type WalkEntry,
  walk,
} from "./fsutil.js";
import { EncryptionType, type StorageVolume } from "./model.js";
import type { JournalEntry, VolumeRepository } from "./repository.js";

/** Name of the archive that holds an encrypted volume's contents, inside the volume folder. */
export const ARCHIVE_NAME = ".dms-volume.age";
/**
 * Folder under the storage root, 0700, with one 0700 folder per volume for the work of its journaled
 * steps: the archive being written (`archive.age`), the list of what it holds (`archived.json`), and
 * the tree being extracted (`tree`). On the same filesystem as the volumes, so moves are renames; outside
 * every volume, so a job that mounts a volume never sees (or reaches into) work in progress.
 */
export const TMP_DIR = ".dms-tmp";
const ARCHIVE_TMP = "archive.age";
const ARCHIVED_LIST = "archived.json";
const TREE = "tree";

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

/** The per-volume work folder under {@link TMP_DIR}. */
export function workFolder(root: string, volumeId: string): string {
  return join(root, TMP_DIR, volumeId);
}

async function freshWorkFolder(ctx: StepContext, vol: StorageVolume): Promise<string> {
  const folder = workFolder(ctx.root, vol.ID);
  await ensurePrivateDir(join(ctx.root, TMP_DIR));
  await removeTree(folder);
  await ensurePrivateDir(folder);
  return folder;
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

function runCipher<T>(p: Promise<T>, s: CipherStep): Promise<T> {
  return p.catch((e) => {
    throw cipherError(e, s);
  });
}

/** One entry of a volume as encrypt saw it: enough to tell it from anything written later. */
interface Seen {
  rel: string;
  kind: "f" | "d" | "l";
  ino: number;
  size: number;
  mtimeMs: number;
}

function seen(e: WalkEntry): Seen {
  const kind = e.stats.isDirectory() ? "d" : e.stats.isSymbolicLink() ? "l" : "f";
  return { rel: e.rel, kind, ino: e.stats.ino, size: e.stats.size, mtimeMs: e.stats.mtimeMs };
}

function sameEntry(a: Seen, st: Stats): boolean {
  if (a.ino !== st.ino) return false;
  if (a.kind === "d") return st.isDirectory();
  if (a.kind === "l") return st.isSymbolicLink();
  return st.isFile() && st.size === a.size && st.mtimeMs === a.mtimeMs;
}

function fingerprint(list: readonly Seen[]): string {
  // A folder's size and mtime change when entries are added or removed; its own entries say that.
  return list
    .map((e) => `${e.kind} ${e.ino} ${e.kind === "d" ? "" : `${e.size} ${e.mtimeMs}`} ${e.rel}`)
    .join("\n");
}

/**
 * Seals the volume into `<volume>/.dms-volume.age` and removes the plaintext. Caller holds the lease.
 * Writers racing with it never lose a file: the tree is walked before and after the archive is written
 * and any difference rolls the step back (ERR_STORAGE_TREE_CHANGED, nothing removed); after that, only
 * the entries that were archived are removed (each checked by inode, size and mtime), so a file written
 * in the last instant stays beside the archive (decrypt then asks to move it out).
 */
export async function encryptVolumeSteps(ctx: StepContext, vol: StorageVolume, keys: EncryptKeys) {
  const names = await topLevel(vol.Path);
  if (names.includes(ARCHIVE_NAME)) {
    throw new StorageError(
      "ERR_STORAGE_RESERVED_NAME",
      `volume ${vol.Path} holds ${ARCHIVE_NAME}, a name reserved for encryption; rename it and retry`,
      { path: join(vol.Path, ARCHIVE_NAME) },
    );
  }
  await step(ctx, vol, "encrypt", "writing");
  try {
    const folder = await freshWorkFolder(ctx, vol);
    const tmp = join(folder, ARCHIVE_TMP);
    const before = (await walk(vol.Path)).map(seen);
    await runCipher(ctx.cipher.encryptDir(vol.Path, tmp, keys), "encrypt");
    const after = (await walk(vol.Path)).map(seen);
    if (fingerprint(before) !== fingerprint(after)) {
      throw new StorageError(
        "ERR_STORAGE_TREE_CHANGED",
        `volume ${vol.Path} changed while it was being encrypted; nothing was removed, retry when writes to it stop`,
        { path: vol.Path },
      );
    }
    const list = join(folder, ARCHIVED_LIST);
    await writeFile(list, JSON.stringify(after), { mode: 0o600 }).catch((e) => {
      throw fsError(e, "write list of archived entries", list);
    });
    await fsyncPath(list);
    await fsyncPath(tmp);
    await fsyncPath(folder);
    await rename(tmp, join(vol.Path, ARCHIVE_NAME)).catch((e) => {
      throw fsError(e, "move archive into volume", vol.Path);
    });
    await fsyncPath(vol.Path);
  } catch (e) {
    await rollbackEncrypt(ctx, vol).catch(() => undefined);
    throw e;
  }
  await step(ctx, vol, "encrypt", "archived");
  return finishEncrypt(ctx, vol);
}

async function rollbackEncrypt(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(workFolder(ctx.root, vol.ID));
  await rm(join(vol.Path, ARCHIVE_NAME), { force: true }).catch((e) => {
    throw fsError(e, "remove partial archive", vol.Path);
  });
  await fsyncPath(vol.Path);
  ctx.repo.clearJournal(vol.ID);
}

async function readArchivedList(folder: string): Promise<Seen[] | undefined> {
  const list = join(folder, ARCHIVED_LIST);
  try {
    return JSON.parse(await readFile(list, "utf8")) as Seen[];
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw fsError(e, "read list of archived entries", list);
  }
}

/** Removes what the archive holds, entry by entry, children first; anything else is left in place. */
async function removeArchived(root: string, list: readonly Seen[]): Promise<void> {
  const byRel = new Map(list.map((e) => [e.rel, e]));
  const parentOf = (rel: string) => (rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "");
  // Folders the owner cannot write (a user's 0555) are opened up first, through checked descriptors.
  for (const e of [{ rel: "", kind: "d" } as const, ...list]) {
    if (e.kind !== "d") continue;
    const abs = e.rel === "" ? root : join(root, e.rel);
    const st = await lstat(abs).catch(() => undefined);
    if (st?.isDirectory() && (st.mode & 0o300) !== 0o300)
      await chmodSame(abs, st, (st.mode & 0o7777) | 0o700);
  }
  for (const e of [...list].reverse()) {
    const abs = join(root, e.rel);
    // The parent must still be the folder that was archived: never follow a folder swapped for a link.
    const parent = byRel.get(parentOf(e.rel));
    if (parent) {
      const pst = await lstat(join(root, parent.rel)).catch(() => undefined);
      if (!pst || !sameEntry(parent, pst)) continue;
    }
    let st: Stats;
    try {
      st = await lstat(abs);
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") continue;
      throw fsError(err, "remove archived entry", abs);
    }
    if (!sameEntry(e, st)) continue;
    try {
      if (e.kind === "d") await rmdir(abs);
      else await unlink(abs);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A folder that gained an entry after the walk keeps it; one already gone is fine.
      if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOENT") continue;
      throw fsError(err, "remove archived entry", abs);
    }
  }
}

async function finishEncrypt(ctx: StepContext, vol: StorageVolume): Promise<StorageVolume> {
  const folder = workFolder(ctx.root, vol.ID);
  const list = await readArchivedList(folder);
  // Without its list (already finished and cleaned up) nothing is removed: a file is never lost.
  if (list) await removeArchived(vol.Path, list);
  await fsyncPath(vol.Path);
  await removeTree(folder);
  const out = ctx.repo.update(vol.ID, { EncryptionType: EncryptionType.Age });
  ctx.repo.clearJournal(vol.ID);
  return out;
}

/**
 * Extracts the archive into the volume's private work folder (outside the volume, 0700), checks its top
 * level, then moves the entries into the volume and removes the archive. Caller holds the lease.
 */
export async function decryptVolumeSteps(ctx: StepContext, vol: StorageVolume, keys: DecryptKeys) {
  const archive = join(vol.Path, ARCHIVE_NAME);
  const present = await topLevel(vol.Path);
  const others = present.filter((n) => n !== ARCHIVE_NAME);
  if (others.length > 0) {
    // Moving the decrypted entries out would overwrite or collide with these.
    throw new StorageError(
      "ERR_STORAGE_EXISTS",
      `encrypted volume ${vol.Path} also holds ${others.map((n) => JSON.stringify(n)).join(", ")}; ` +
        "move them out of the volume and retry",
      { path: vol.Path },
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
    const folder = await freshWorkFolder(ctx, vol);
    const tree = join(folder, TREE);
    await runCipher(ctx.cipher.extractTo(archive, tree, keys), "decrypt");
    // A foreign archive may hold the archive's own name at its top level: moving it into the volume
    // would replace (or be confused with) the archive. Refused here, before anything is removed.
    if ((await topLevel(tree)).includes(ARCHIVE_NAME)) {
      throw new StorageError(
        "ERR_STORAGE_RESERVED_NAME",
        `the archive of ${vol.Path} holds ${ARCHIVE_NAME} at its top level, a name reserved for encryption; ` +
          "nothing was changed, extract it by hand with age and tar",
        { path: archive },
      );
    }
    await fsyncTree(tree);
    await fsyncPath(folder);
  } catch (e) {
    await rollbackDecrypt(ctx, vol).catch(() => undefined);
    throw e;
  }
  await step(ctx, vol, "decrypt", "extracted");
  return finishDecrypt(ctx, vol);
}

async function rollbackDecrypt(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(workFolder(ctx.root, vol.ID));
  ctx.repo.clearJournal(vol.ID);
}

async function finishDecrypt(ctx: StepContext, vol: StorageVolume): Promise<StorageVolume> {
  const folder = workFolder(ctx.root, vol.ID);
  await rm(join(vol.Path, ARCHIVE_NAME), { force: true }).catch((e) => {
    throw fsError(e, "remove archive", vol.Path);
  });
  await fsyncPath(vol.Path);
  const tree = join(folder, TREE);
  const names = await readdir(tree).catch((e) => {
    // Gone: an earlier attempt moved every entry out and was removing the work folder.
    if ((e as { code?: string }).code === "ENOENT") return [];
    throw fsError(e, "read staging folder", tree);
  });
  for (const name of names) {
    const to = join(vol.Path, name);
    // rename would silently replace a file someone wrote into the volume meanwhile: refuse instead
    // (the decrypted copy stays in the work folder, and the next open or attempt finishes the move).
    const there = await lstat(to).then(
      () => true,
      () => false,
    );
    if (there) {
      throw new StorageError(
        "ERR_STORAGE_EXISTS",
        `${to} appeared while the volume was being decrypted; move it out of the volume and retry ` +
          `(the decrypted copy is kept in ${tree})`,
        { path: to },
      );
    }
    await moveEntry(join(tree, name), to);
  }
  await fsyncPath(vol.Path);
  await removeTree(folder);
  const out = ctx.repo.update(vol.ID, { EncryptionType: EncryptionType.Null });
  ctx.repo.clearJournal(vol.ID);
  return out;
}

/** rename, or fs-extra's copy-then-remove when the volume is on another filesystem than the root. */
async function moveEntry(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as { code?: string }).code !== "EXDEV") throw fsError(e, "move decrypted entry into volume", to);
    await move(from, to, { overwrite: true }).catch((err) => {
      throw fsError(err, "move decrypted entry into volume", to);
    });
  }
}

/** Removes a volume's folder, then its record; rolled forward if interrupted. Caller holds the lease. */
export async function deleteVolumeSteps(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await step(ctx, vol, "delete", "removing");
  await finishDelete(ctx, vol);
}

async function finishDelete(ctx: StepContext, vol: StorageVolume): Promise<void> {
  await removeTree(vol.Path);
  await removeTree(workFolder(ctx.root, vol.ID));
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
