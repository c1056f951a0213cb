// Leftovers of killed processes (temp files, staging folders) are recognised the same way wherever
// they are: a name carrying the writer's pid, that process gone, owned by this user, and untouched
// for a while (a younger one may belong to a process in another PID namespace).
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** How long a leftover must be untouched before it is taken for stale. */
export const STALE_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The entries of `dir` that a killed process left: named as `pattern` matches (its first group the
 * writer's pid, neither this process nor a live one), a regular file or a folder as `kind` says,
 * owned by this user, untouched for `staleMs`. Best effort: an unreadable `dir` has none; never throws.
 */
export async function staleLeftovers(
  dir: string,
  pattern: RegExp,
  o: { kind: "file" | "directory"; staleMs?: number | undefined },
): Promise<{ name: string; path: string }[]> {
  const staleMs = o.staleMs ?? STALE_MS;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const found: { name: string; path: string }[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const path = join(dir, name);
    try {
      const st = await lstat(path);
      if (!(o.kind === "file" ? st.isFile() : st.isDirectory())) continue;
      if (uid !== undefined && st.uid !== uid) continue;
      if (Date.now() - st.mtimeMs < staleMs) continue;
      found.push({ name, path });
    } catch {
      // Gone already.
    }
  }
  return found;
}
