import { chmod, lstat, rm } from "node:fs/promises";
import { fsyncPath as fsFsync, walk as fsWalk, type WalkEntry } from "@dms/fs";
import { fsError } from "./errors.js";

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
 */
export async function chmodTree(root: string, fileMode: number, dirMode: number): Promise<void> {
  const entries = await walk(root);
  try {
    for (const e of entries) {
      if (e.stats.isDirectory()) await chmod(e.abs, dirMode);
      else if (e.stats.isFile()) await chmod(e.abs, fileMode);
    }
    await chmod(root, dirMode);
  } catch (e) {
    throw fsError(e, "change permissions", root);
  }
}

/** Removes `path` and everything under it, first making read-only folders writable; absent is fine. */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
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
    await rm(path, { recursive: true, force: true });
  } catch (e) {
    throw fsError(e, "remove", path);
  }
}

/** Sum of the sizes of the regular files under `root`, in bytes. */
export async function treeSize(root: string): Promise<number> {
  let total = 0;
  for (const e of await walk(root)) if (e.stats.isFile()) total += e.stats.size;
  return total;
}
