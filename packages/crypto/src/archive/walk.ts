import { lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";
import { ioError } from "../errors.js";

/** One node of the walked tree: its archive path (`/`-separated), real path and lstat. */
export interface WalkEntry {
  rel: string;
  abs: string;
  st: Stats;
}

// How many entries the walk hands out before it lets the event loop run (timers, other I/O).
const YIELD_EVERY = 256;

const encoder = new TextEncoder();

function byteOrder(a: { key: Uint8Array }, b: { key: Uint8Array }): number {
  return Buffer.compare(a.key, b.key);
}

function listSorted(abs: string): string[] {
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch (e) {
    throw ioError(e, abs);
  }
  return names
    .map((name) => ({ name, key: encoder.encode(name) }))
    .sort(byteOrder)
    .map((n) => n.name);
}

function* walkSync(root: string, rel: string): Generator<WalkEntry> {
  for (const name of listSorted(root)) {
    const abs = join(root, name);
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch (e) {
      throw ioError(e, abs);
    }
    const entry: WalkEntry = { rel: rel ? `${rel}/${name}` : name, abs, st };
    yield entry;
    if (st.isDirectory()) yield* walkSync(abs, entry.rel);
  }
}

/**
 * Walks a directory depth first, each directory's entries in UTF-8 byte order, parents
 * before children (the order `tar --sort=name` uses). Links are reported, never followed.
 * Only the listings of the directories on the current path are held, never the whole tree.
 *
 * The calls are synchronous, one syscall each: through the promise API (a thread-pool round
 * trip and a promise per entry) the walk of 10 000 files took 160–220 ms instead of 52–61 ms,
 * and the walk is a large part of encrypting many small files. The event loop still runs
 * every {@link YIELD_EVERY} entries.
 *
 * @throws AgeError ERR_AGE_IO when a directory cannot be listed or an entry vanishes.
 */
export async function* walkSorted(root: string): AsyncGenerator<WalkEntry> {
  let n = 0;
  for (const entry of walkSync(root, "")) {
    yield entry;
    if (++n % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
