// A folder of the extraction swapped for a symlink while extraction runs (by a process of the same
// user: the staging root is 0700) must not make any write, chmod or utimes land outside the target.
import { lstatSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractTar } from "../src/archive/extract.js";
import { buildTar, cleanup, readableOf, type TarEntry, tempDir } from "./fixtures/archive/helpers.js";

// Larger than one chunk, so each file is written to the end before its progress event (small files
// with fsync on are written concurrently, and a swap racing an in-flight check is the window Node
// cannot close). Small files without fsync are written synchronously, also before the event.
const BIG = "x".repeat(70 * 1024);
const file = (name: string, body = BIG): TarEntry => ({ header: { name, type: "file", mode: 0o644 }, body });
const dir = (name: string): TarEntry => ({ header: { name, type: "directory", mode: 0o777 } });

let base: string;
let outside: string;
beforeEach(async () => {
  base = await tempDir();
  outside = join(base, "outside");
  mkdirSync(outside, { mode: 0o700 });
});
afterEach(() => cleanup(base));

/** Replaces `<staging>/a` with a symlink to `outside`, as an attacker racing the extraction would. */
function swapA(target: string): void {
  const prefix = `.${basename(target)}.dms-staging-`;
  const staging = readdirSync(dirname(target)).find((n) => n.startsWith(prefix));
  if (!staging) throw new Error("no staging folder found");
  const a = join(dirname(target), staging, "a");
  renameSync(a, `${a}.moved`);
  symlinkSync(outside, a);
}

describe("extraction confined to its staging root", () => {
  // Big files (streamed) and small ones (written synchronously) take different paths to the disk.
  it.each([
    ["big files", BIG],
    ["small files", "tiny"],
  ])("refuses to write %s through a folder swapped for a symlink mid-extraction", async (_, body) => {
    const names = ["a/f1", "a/f2", "a/f3", "a/f4"];
    const tar = await buildTar([dir("a"), ...names.map((n) => file(n, body))]);
    const target = join(base, "out");
    let swapped = false;
    const err = await extractTar(readableOf(tar, 512), target, {
      onProgress: () => {
        if (!swapped) swapA(target);
        swapped = true;
      },
    }).catch((e: unknown) => e);
    expect(swapped).toBe(true);
    expect(err).toMatchObject({ code: "ERR_ARCHIVE_CHANGED" });
    expect(readdirSync(outside)).toEqual([]);
    expect(statSync(outside).mode & 0o7777).toBe(0o700);
    expect(() => lstatSync(target)).toThrow();
    expect(readdirSync(base)).toEqual(["outside"]);
  });

  it("refuses to chmod or utimes through a folder swapped after its files were written", async () => {
    const tar = await buildTar([dir("a"), file("a/f1")]);
    const target = join(base, "out");
    const before = statSync(outside);
    const err = await extractTar(readableOf(tar, 512), target, {
      // The last file's progress: every write is done, the folders' modes and times are not yet set.
      onProgress: () => swapA(target),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ERR_ARCHIVE_CHANGED" });
    const after = statSync(outside);
    expect(after.mode & 0o7777).toBe(0o700);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });
});
