import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readlink } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { fsError, StorageError } from "./errors.js";
import { byteOrder, walk } from "./fsutil.js";

/** First line of every manifest; a new format gets a new version here. */
export const MANIFEST_HEADER = "dms-volume-manifest v1";

/** A volume's manifest (the canonical text) and its digest `sha256:<hex of SHA-256(text)>`. */
export interface Manifest {
  text: string;
  digest: string;
}

/** Paths that differ between a stored manifest and the tree as it is now; each list in byte order. */
export interface ManifestDiff {
  added: string[];
  removed: string[];
  modified: string[];
}

async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  try {
    await pipeline(createReadStream(path), h);
  } catch (e) {
    throw fsError(e, "read file for digest", path);
  }
  return h.digest("hex");
}

/**
 * Builds the canonical manifest of the tree under `root` (see README "Manifest format"): one line per
 * entry, `<type> <mode> <size> <sha256> <path>`, sorted by the UTF-8 bytes of the path, after a header.
 * @throws StorageError ERR_STORAGE_UNSUPPORTED_ENTRY for a FIFO, socket or device; filesystem codes
 */
export async function buildManifest(root: string): Promise<Manifest> {
  const lines: { path: string; line: string }[] = [];
  for (const e of await walk(root)) {
    const path = JSON.stringify(e.rel);
    const mode = (e.stats.mode & 0o7777).toString(8).padStart(4, "0");
    let line: string;
    if (e.stats.isDirectory()) {
      line = `d ${mode} 0 - ${path}`;
    } else if (e.stats.isFile()) {
      line = `f ${mode} ${e.stats.size} ${await hashFile(e.abs)} ${path}`;
    } else if (e.stats.isSymbolicLink()) {
      let target: Buffer;
      try {
        target = await readlink(e.abs, { encoding: "buffer" });
      } catch (err) {
        throw fsError(err, "read symbolic link", e.abs);
      }
      // Link permission bits mean nothing on Linux and differ by platform, so they are fixed at 0000.
      line = `l 0000 ${target.length} ${createHash("sha256").update(target).digest("hex")} ${path}`;
    } else {
      throw new StorageError(
        "ERR_STORAGE_UNSUPPORTED_ENTRY",
        `volume holds ${e.rel}, which is not a file, folder or symbolic link; remove it and retry`,
        { path: e.abs },
      );
    }
    lines.push({ path: e.rel, line });
  }
  lines.sort((a, b) => byteOrder(a.path, b.path));
  const text = `${MANIFEST_HEADER}\n${lines.map((l) => `${l.line}\n`).join("")}`;
  return { text, digest: `sha256:${createHash("sha256").update(text).digest("hex")}` };
}

function entries(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const lines = text.split("\n");
  if (lines[0] !== MANIFEST_HEADER) {
    throw new StorageError(
      "ERR_STORAGE_DATABASE",
      "stored manifest has an unknown format; lock the volume again",
    );
  }
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    // The path is the JSON string after the fourth space; JSON never contains a raw newline.
    const cut = nthIndex(line, " ", 4);
    map.set(JSON.parse(line.slice(cut + 1)) as string, line.slice(0, cut));
  }
  return map;
}

function nthIndex(s: string, ch: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = s.indexOf(ch, i + 1);
  return i;
}

/** Compares two manifest texts and names the paths added, removed and modified (type, mode, size or hash). */
export function diffManifests(before: string, after: string): ManifestDiff {
  const a = entries(before);
  const b = entries(after);
  const diff: ManifestDiff = { added: [], removed: [], modified: [] };
  for (const [path, meta] of b) {
    const old = a.get(path);
    if (old === undefined) diff.added.push(path);
    else if (old !== meta) diff.modified.push(path);
  }
  for (const path of a.keys()) if (!b.has(path)) diff.removed.push(path);
  for (const list of [diff.added, diff.removed, diff.modified]) list.sort(byteOrder);
  return diff;
}
