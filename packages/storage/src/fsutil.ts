import { constants, type Stats } from "node:fs";
import { chmod, lstat, open, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fsError } from "./errors.js";

/** One entry under a walked root; `rel` uses "/" separators and never starts with one. */
export interface WalkEntry {
  rel: string;
  abs: string;
  stats: Stats;
}

/**
 * Every entry under `root` (not the root itself), parents before children, names in byte order.
 * Symbolic links are reported, never followed.
 */
export async function walk(root: string, skip?: (rel: string) => boolean): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      throw fsError(e, "read folder", dir);
    }
    names.sort(byteOrder);
    for (const name of names) {
      const rel = prefix === "" ? name : `${prefix}/${name}`;
      if (skip?.(rel)) continue;
      const abs = join(dir, name);
      let stats: Stats;
      try {
        stats = await lstat(abs);
      } catch (e) {
        throw fsError(e, "inspect entry", abs);
      }
      out.push({ rel, abs, stats });
      if (stats.isDirectory()) await visit(abs, rel);
    }
  };
  await visit(root, "");
  return out;
}

/** Orders strings by their UTF-8 bytes, so the order does not depend on locale or UTF-16 quirks. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Flushes a file's or folder's data and metadata to disk (a folder: its entries, e.g. after a rename). */
export async function fsyncPath(path: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, constants.O_RDONLY);
    await fh.sync();
  } catch (e) {
    throw fsError(e, "flush to disk", path);
  } finally {
    await fh?.close();
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
