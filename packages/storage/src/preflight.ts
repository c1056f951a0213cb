// @dms/crypto's extractDirectory refuses names and links that a Linux folder can hold (case-folded
// duplicates, control characters, links leaving the tree, ...). Encrypting such a volume would succeed
// and then decrypting it would be refused, so these are checked before encrypting. The rules mirror the
// extraction policy of @dms/crypto (names.ts, policy.ts) and are, where simpler, stricter than it.
import { readlink } from "node:fs/promises";
import { fsError, StorageError } from "./errors.js";
import { walk } from "./fsutil.js";

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function fold(path: string): string {
  return path.normalize("NFD").toUpperCase().toLowerCase().normalize("NFC");
}

function refuse(rel: string, problem: string): StorageError {
  return new StorageError(
    "ERR_STORAGE_UNSUPPORTED_ENTRY",
    `cannot encrypt: ${JSON.stringify(rel)} ${problem}, which decryption would refuse; rename or remove it and retry`,
  );
}

function linkProblem(rel: string, target: string, links: Set<string>): string | undefined {
  if (target === "") return "is a symbolic link with an empty target";
  if (hasControl(target) || target.includes("\\") || /^[A-Za-z]:/.test(target)) {
    return "is a symbolic link whose target has a control character, backslash or drive letter";
  }
  if (target.startsWith("/")) return "is a symbolic link with an absolute target";
  const resolved = rel.split("/").slice(0, -1);
  let named = false;
  for (const c of target.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (named || resolved.length === 0) return "is a symbolic link that points outside the volume";
      resolved.pop();
      continue;
    }
    named = true;
    resolved.push(c);
    if (links.has(resolved.join("/"))) return "is a symbolic link that points through another link";
  }
  return undefined;
}

/**
 * Refuses a tree that @dms/crypto could archive but not extract again.
 * @throws StorageError ERR_STORAGE_UNSUPPORTED_ENTRY naming the entry; filesystem codes
 */
export async function checkArchivable(root: string): Promise<void> {
  const entries = await walk(root);
  const seen = new Map<string, string>();
  const links = new Set(entries.filter((e) => e.stats.isSymbolicLink()).map((e) => e.rel));
  for (const e of entries) {
    if (hasControl(e.rel) || e.rel.includes("\\")) refuseThrow(e.rel, "has a control character or backslash");
    const key = fold(e.rel);
    const twin = seen.get(key);
    if (twin !== undefined)
      refuseThrow(e.rel, `differs from ${JSON.stringify(twin)} only by case or Unicode form`);
    seen.set(key, e.rel);
    if (e.stats.isSymbolicLink()) {
      let target: string;
      try {
        target = await readlink(e.abs);
      } catch (err) {
        throw fsError(err, "read symbolic link", e.abs);
      }
      const problem = linkProblem(e.rel, target, links);
      if (problem) refuseThrow(e.rel, problem);
    } else if (!e.stats.isFile() && !e.stats.isDirectory()) {
      refuseThrow(e.rel, "is not a file, folder or symbolic link");
    }
  }
}

function refuseThrow(rel: string, problem: string): never {
  throw refuse(rel, problem);
}
