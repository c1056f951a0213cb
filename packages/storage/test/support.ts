// Shared test helpers: temp roots, building small trees, hashing a tree's content, a plain test cipher.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { walk } from "../src/fsutil.js";
import type { VolumeCipher } from "../src/index.js";

export function tempRoot(prefix = "dms-storage-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A tree spec: path → file content (string or bytes), `{ link: target }`, or `null` for a folder. */
export type TreeSpec = Record<string, string | Uint8Array | { link: string } | null>;

export function writeTree(root: string, spec: TreeSpec): void {
  for (const [rel, v] of Object.entries(spec)) {
    const abs = join(root, rel);
    if (v === null) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof v === "object" && "link" in v) symlinkSync(v.link, abs);
    else writeFileSync(abs, v);
  }
}

/** SHA-256 over every entry's path, type and content (modes left out: they are not content). */
export async function treeHash(root: string, skip?: (rel: string) => boolean): Promise<string> {
  const h = createHash("sha256");
  for (const e of await walk(root, skip)) {
    if (e.stats.isDirectory()) h.update(`d ${e.rel}\n`);
    else if (e.stats.isSymbolicLink()) h.update(`l ${e.rel} ${readlinkSync(e.abs)}\n`);
    else h.update(`f ${e.rel} ${createHash("sha256").update(readFileSync(e.abs)).digest("hex")}\n`);
  }
  return h.digest("hex");
}

/** Deterministic pseudo-random bytes, so trees are reproducible without storing them. */
export function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * A TEST DOUBLE, not encryption: packs a tree into JSON so controller logic can be tested without
 * @dms/crypto. A wrong `passphrase` fails like a wrong key would.
 */
export function plainCipher(): VolumeCipher {
  return {
    async encryptDir(dir, archivePath, keys) {
      const entries: { rel: string; kind: string; data?: string }[] = [];
      for (const e of await walk(dir)) {
        if (e.stats.isDirectory()) entries.push({ rel: e.rel, kind: "d" });
        else if (e.stats.isSymbolicLink()) entries.push({ rel: e.rel, kind: "l", data: readlinkSync(e.abs) });
        else entries.push({ rel: e.rel, kind: "f", data: (await readFile(e.abs)).toString("base64") });
      }
      await writeFile(archivePath, JSON.stringify({ key: keys.passphrase ?? keys.recipients?.[0], entries }));
    },
    async extractTo(archivePath, dir, keys) {
      const a = JSON.parse(await readFile(archivePath, "utf8")) as {
        key: string;
        entries: { rel: string; kind: string; data?: string }[];
      };
      if (a.key !== (keys.passphrase ?? keys.identities?.[0])) {
        throw Object.assign(new Error("no identity matched"), { code: "ERR_AGE_NO_MATCH" });
      }
      await mkdir(dir);
      for (const e of a.entries) {
        const abs = join(dir, e.rel);
        if (e.kind === "d") await mkdir(abs);
        else if (e.kind === "l") symlinkSync(e.data as string, abs);
        else await writeFile(abs, Buffer.from(e.data as string, "base64"));
      }
    },
  };
}

/** Runs `fn` and returns the StorageError code it rejects with (fails the test if it resolves). */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === "string") return c;
    throw e;
  }
  throw new Error("expected a rejection, but the call succeeded");
}
