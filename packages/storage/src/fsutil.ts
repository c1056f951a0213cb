import { constants, type Stats } from "node:fs";
import { chmod, type FileHandle, lstat, open } from "node:fs/promises";
import { fsyncPath as fsFsync, walk as fsWalk, type WalkEntry } from "@dms/fs";
import { ensureDir, remove } from "fs-extra/esm";
import { fsError, StorageError } from "./errors.js";

export { byteOrder, type WalkEntry } from "@dms/fs";

/**
 * Every entry under `root` (not the root itself), parents before children, names in byte order;
 * links reported, never followed (@dms/fs's walk, its errors as StorageError).
 */
export async function walk(root: string, skip?: (rel: string) => boolean): Promise<WalkEntry[]> {
  try {
    return await fsWalk(root, skip);
  } catch (e) {
    throw fsError(e, "read folder", (e as { path?: string }).path ?? root);
  }
}

/** Flushes a file's or folder's data and metadata to disk (a folder: its entries, e.g. after a rename). */
export async function fsyncPath(path: string): Promise<void> {
  try {
    await fsFsync(path);
  } catch (e) {
    throw fsError(e, "flush to disk", path);
  }
}

/** Flushes every regular file and folder under `root`, and `root` itself. */
export async function fsyncTree(root: string): Promise<void> {
  for (const e of await walk(root)) {
    if (e.stats.isFile() || e.stats.isDirectory()) await fsyncPath(e.abs);
  }
  await fsyncPath(root);
}

/**
 * Sets every regular file under `root` to `fileMode` and every folder (root included) to `dirMode`.
 * Symbolic links are left alone (Linux has no lchmod). `dirMode` must keep the owner's r and x bits.
 *
 * @throws StorageError ERR_STORAGE_TREE_CHANGED when an entry was replaced while this ran, or a
 * filesystem code.
 */
export async function chmodTree(root: string, fileMode: number, dirMode: number): Promise<void> {
  await chmodEntries(root, await walk(root), fileMode, dirMode);
}

// O_NOFOLLOW refuses a final symlink; O_NONBLOCK keeps a FIFO swapped in from blocking the open.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * chmodTree's second half, on a walk already taken. Every mode change goes through a descriptor that
 * was opened without following a final link and whose device and inode match the walk's, so a folder
 * swapped for a symlink between the walk and the change (or during it) cannot redirect a chmod to a
 * path outside the volume: the swap is detected and refused instead.
 */
export async function chmodEntries(
  root: string,
  entries: readonly WalkEntry[],
  fileMode: number,
  dirMode: number,
): Promise<void> {
  let rootStats: Stats;
  try {
    rootStats = await lstat(root);
  } catch (e) {
    throw fsError(e, "change permissions", root);
  }
  const items: { abs: string; stats: Stats; mode: number }[] = [];
  for (const e of entries) {
    if (e.stats.isDirectory()) items.push({ abs: e.abs, stats: e.stats, mode: dirMode });
    else if (e.stats.isFile()) items.push({ abs: e.abs, stats: e.stats, mode: fileMode });
  }
  items.push({ abs: root, stats: rootStats, mode: dirMode });
  for (const it of items) await chmodSame(it.abs, it.stats, it.mode);
}

/**
 * Sets `path`'s mode through a descriptor opened without following a final link, after checking that it
 * is still the entry `expected` (device and inode) describes.
 * @throws StorageError ERR_STORAGE_TREE_CHANGED when it is not, or a filesystem code
 */
export async function chmodSame(path: string, expected: Stats, mode: number): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, OPEN_FLAGS);
    const st = await fh.stat();
    if (st.dev !== expected.dev || st.ino !== expected.ino) throw changed(path);
    await fh.chmod(mode);
  } catch (e) {
    if (e instanceof StorageError) throw e;
    if ((e as { code?: string }).code === "ELOOP") throw changed(path);
    throw fsError(e, "change permissions", path);
  } finally {
    await fh?.close().catch(() => {});
  }
}

function changed(path: string): StorageError {
  return new StorageError(
    "ERR_STORAGE_TREE_CHANGED",
    `${path} was replaced while its permissions were being changed; stop whatever is writing to the volume and retry`,
    { path },
  );
}

/** Removes `path` and everything under it, first making read-only folders writable; absent is fine. */
export async function removeTree(path: string): Promise<void> {
  try {
    await remove(path);
    return;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "EACCES" && code !== "EPERM") throw fsError(e, "remove", path);
  }
  try {
    const st = await lstat(path);
    if (st.isDirectory()) {
      await chmod(path, 0o700);
      for (const e of await walk(path)) if (e.stats.isDirectory()) await chmod(e.abs, 0o700);
    }
    await remove(path);
  } catch (e) {
    throw fsError(e, "remove", path);
  }
}

/**
 * Makes `path` (and missing parents) a folder only its owner can enter (0700), also when it already
 * existed with a wider mode.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  try {
    await ensureDir(path, 0o700);
    const st = await lstat(path);
    if (!st.isDirectory()) throw Object.assign(new Error("not a folder"), { code: "ENOTDIR", path });
    if ((st.mode & 0o777) !== 0o700) await chmodSame(path, st, 0o700);
  } catch (e) {
    throw fsError(e, "create private folder", path);
  }
}

/** Sum of the sizes of the regular files under `root`, in bytes. */
export async function treeSize(root: string): Promise<number> {
  let total = 0;
  for (const e of await walk(root)) if (e.stats.isFile()) total += e.stats.size;
  return total;
}
