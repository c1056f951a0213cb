// volume lock changes modes through descriptors checked against its walk: a folder swapped for a
// symlink to somewhere else never has that somewhere else chmodded.
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chmodEntries, walk } from "../src/fsutil.js";

const base = mkdtempSync(join(tmpdir(), "dms-lock-race-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("chmodEntries", () => {
  it("refuses with ERR_STORAGE_TREE_CHANGED when a folder became a symlink after the walk", async () => {
    const vol = join(base, "vol");
    const outside = join(base, "outside");
    mkdirSync(join(vol, "sub"), { recursive: true });
    writeFileSync(join(vol, "sub", "f"), "x");
    mkdirSync(outside);
    writeFileSync(join(outside, "f"), "host file");
    const entries = await walk(vol);
    // The race: between the walk and the chmod, sub/ is replaced by a link to a host folder.
    renameSync(join(vol, "sub"), join(base, "moved"));
    symlinkSync(outside, join(vol, "sub"));
    const before = statSync(join(outside, "f")).mode;
    const err = await chmodEntries(vol, entries, 0o444, 0o555).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ERR_STORAGE_TREE_CHANGED" });
    expect(statSync(join(outside, "f")).mode).toBe(before);
    expect(statSync(outside).mode & 0o777).not.toBe(0o555);
  });

  it("changes every file and folder when nothing moved", async () => {
    const vol = join(base, "calm");
    mkdirSync(join(vol, "d"), { recursive: true });
    writeFileSync(join(vol, "d", "f"), "x");
    await chmodEntries(vol, await walk(vol), 0o444, 0o555);
    expect(statSync(join(vol, "d", "f")).mode & 0o777).toBe(0o444);
    expect(statSync(join(vol, "d")).mode & 0o777).toBe(0o555);
    expect(statSync(vol).mode & 0o777).toBe(0o555);
  });
});
