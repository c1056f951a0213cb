import type { Stats } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import { ioError } from "../errors.js";

/** One node of the walked tree: its archive path (`/`-separated), real path and lstat. */
export interface WalkEntry {
  rel: string;
  abs: string;
  st: Stats;
}

// Enough lstat calls in flight to hide filesystem latency, few enough to keep memory flat.
const STAT_WINDOW = 64;

const encoder = new TextEncoder();

function byteOrder(a: { key: Uint8Array }, b: { key: Uint8Array }): number {
  return Buffer.compare(a.key, b.key);
}

async function listSorted(abs: string): Promise<string[]> {
  const names: { name: string; key: Uint8Array }[] = [];
  try {
    const d = await opendir(abs, { bufferSize: 256 });
    for await (const e of d) names.push({ name: e.name, key: encoder.encode(e.name) });
  } catch (e) {
    throw ioError(e, abs);
  }
  return names.sort(byteOrder).map((n) => n.name);
}

async function statAll(paths: string[]): Promise<Stats[]> {
  try {
    return await Promise.all(paths.map((p) => lstat(p)));
  } catch (e) {
    throw ioError(e);
  }
}

/**
 * Walks a directory depth first, each directory's entries in UTF-8 byte order, parents
 * before children (the order `tar --sort=name` uses). Links are reported, never followed.
 * Only the listings of the directories on the current path are held, never the whole tree.
 *
 * @throws AgeError ERR_AGE_IO when a directory cannot be listed or an entry vanishes.
 */
export async function* walkSorted(root: string, rel = ""): AsyncGenerator<WalkEntry> {
  const names = await listSorted(root);
  for (let i = 0; i < names.length; i += STAT_WINDOW) {
    const batch = names.slice(i, i + STAT_WINDOW);
    const abs = batch.map((n) => join(root, n));
    const stats = await statAll(abs);
    for (let j = 0; j < batch.length; j++) {
      const name = batch[j] as string;
      const entry: WalkEntry = {
        rel: rel ? `${rel}/${name}` : name,
        abs: abs[j] as string,
        st: stats[j] as Stats,
      };
      yield entry;
      if (entry.st.isDirectory()) yield* walkSorted(entry.abs, entry.rel);
    }
  }
}
