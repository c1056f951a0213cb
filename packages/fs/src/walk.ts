// The sorted tree walk that listings, digests and archives share, and the fsync that durability needs.
import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fsError } from "./errors.js";

/** One entry under a walked root; `rel` uses "/" separators and never starts with one. */
export interface WalkEntry {
  rel: string;
  abs: string;
  stats: Stats;
}

/** Orders strings by their UTF-8 bytes, so an order never depends on the locale or on UTF-16. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Every entry under `root` (not the root itself), parents before children, names in byte order.
 * Symbolic links are reported, never followed. `skip(rel)` leaves an entry (and what is under it) out.
 *
 * @throws FsError naming the folder or entry that could not be read.
 */
export async function walk(root: string, skip?: (rel: string) => boolean): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      throw fsError(e, dir, "read folder");
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
        throw fsError(e, abs, "inspect");
      }
      out.push({ rel, abs, stats });
      if (stats.isDirectory()) await visit(abs, rel);
    }
  };
  await visit(root, "");
  return out;
}

/**
 * Flushes a file's or folder's data and metadata to disk (a folder: its entries, e.g. after a rename).
 *
 * @throws FsError naming `path`.
 */
export async function fsyncPath(path: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, constants.O_RDONLY);
    await fh.sync();
  } catch (e) {
    throw fsError(e, path, "flush to disk");
  } finally {
    await fh?.close().catch(() => {});
  }
}
