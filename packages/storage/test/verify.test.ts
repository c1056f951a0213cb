// Locking computes a canonical manifest; verify names every path that changed since.
import { chmodSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildManifest,
  diffManifests,
  IDType,
  openController,
  type VolumeController,
  VolumeSource,
} from "../src/index.js";
import { codeOf, tempRoot, writeTree } from "./support.js";

describe("manifest format", () => {
  // Known answer: the manifest text is fully determined by the spec in README "Manifest format";
  // the SHA-256 digests of "hello world" and "" are the standard published test values, and that of the
  // link target "b.txt" is from coreutils: `printf b.txt | sha256sum`.
  it("matches the documented canonical text for a small tree", async () => {
    const root = tempRoot();
    writeTree(root, { "b.txt": "hello world", "a-dir/x": "", "a-dir/y/z": null, "a.lnk": { link: "b.txt" } });
    chmodSync(join(root, "b.txt"), 0o644);
    chmodSync(join(root, "a-dir/x"), 0o600);
    chmodSync(join(root, "a-dir"), 0o755);
    chmodSync(join(root, "a-dir/y"), 0o755);
    chmodSync(join(root, "a-dir/y/z"), 0o700);
    const m = await buildManifest(root);
    expect(m.text).toBe(
      [
        "dms-volume-manifest v1",
        'd 0755 0 - "a-dir"',
        'f 0600 0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 "a-dir/x"',
        'd 0755 0 - "a-dir/y"',
        'd 0700 0 - "a-dir/y/z"',
        'l 0000 5 ffa0da5d885fba09d903c782713b6b098c8cf21f56a3a35d9aa920613220d2e1 "a.lnk"',
        'f 0644 11 b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9 "b.txt"',
        "",
      ].join("\n"),
    );
    expect(m.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    rmSync(root, { recursive: true, force: true });
  });

  it("sorts by UTF-8 bytes of the whole path and JSON-quotes odd names", async () => {
    const root = tempRoot();
    writeTree(root, { "a/b": "1", "a-c": "2", 'q"\n': "3", é: "4" });
    const paths = (await buildManifest(root)).text
      .split("\n")
      .slice(1, -1)
      .map((l) => JSON.parse(l.slice(l.indexOf('"'))));
    expect(paths).toEqual(["a", "a-c", "a/b", 'q"\n', "é"]);
    rmSync(root, { recursive: true, force: true });
  });

  it("property: the digest depends only on content, and any single change is named by diff", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.uint8Array({ maxLength: 64 }), {
          minKeys: 1,
          maxKeys: 6,
        }),
        fc.nat(),
        fc.constantFrom("modify", "add", "remove"),
        async (files, pick, change) => {
          const a = tempRoot();
          const b = tempRoot();
          try {
            writeTree(a, files);
            writeTree(b, Object.fromEntries(Object.entries(files).reverse()));
            const ma = await buildManifest(a);
            expect((await buildManifest(b)).digest).toBe(ma.digest);
            const names = Object.keys(files);
            const victim = names[pick % names.length] as string;
            if (change === "modify")
              writeFileSync(join(b, victim), Buffer.concat([readFileSync(join(b, victim)), Buffer.of(1)]));
            if (change === "add") writeFileSync(join(b, `${victim}.new`), "x");
            if (change === "remove") unlinkSync(join(b, victim));
            const mb = await buildManifest(b);
            expect(mb.digest).not.toBe(ma.digest);
            const d = diffManifests(ma.text, mb.text);
            const key = change === "modify" ? "modified" : change === "add" ? "added" : "removed";
            expect(d[key]).toEqual([change === "add" ? `${victim}.new` : victim]);
            expect(d.added.length + d.removed.length + d.modified.length).toBe(1);
          } finally {
            rmSync(a, { recursive: true, force: true });
            rmSync(b, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
    // Forty temp trees: generous for a loaded CI machine; this is not a speed assertion.
  }, 60_000);
});

describe("verifyVolume", () => {
  let root: string;
  let c: VolumeController;
  let path: string;

  beforeEach(async () => {
    root = tempRoot();
    c = await openController({ root });
    path = (await c.createVolume(VolumeSource.Job)).Path;
    writeTree(path, { "data/a.csv": "1,2,3\n", "data/b.csv": "4,5,6\n", "run.sh": "#!/bin/sh\n" });
    await c.lockVolume(path);
  });

  afterEach(async () => {
    await c.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("an untouched volume verifies ok with the stored digest as CID", async () => {
    const r = await c.verifyVolume(path);
    expect(r).toMatchObject({ ok: true, added: [], removed: [], modified: [] });
    expect(r.actual).toBe(r.expected);
    expect(r.cid).toBe(r.expected);
  });

  it("names a file changed behind the controller's back", async () => {
    const f = join(path, "data/a.csv");
    chmodSync(f, 0o444); // a root-run test could write anyway; keep the mode so only content differs
    writeFileSync(f, "1,2,4\n");
    const r = await c.verifyVolume(path);
    expect(r).toMatchObject({ ok: false, added: [], removed: [], modified: ["data/a.csv"] });
    expect(r.actual).not.toBe(r.expected);
  });

  it("names a file whose mode was made writable again", async () => {
    chmodSync(join(path, "run.sh"), 0o644);
    expect(await c.verifyVolume(path)).toMatchObject({ ok: false, modified: ["run.sh"] });
  });

  it("names added and removed files and links", async () => {
    chmodSync(join(path, "data"), 0o755);
    writeFileSync(join(path, "data/c.csv"), "new");
    unlinkSync(join(path, "data/b.csv"));
    chmodSync(path, 0o755);
    symlinkSync("run.sh", join(path, "link"));
    expect(await c.verifyVolume(path)).toMatchObject({
      ok: false,
      added: ["data/c.csv", "link"],
      removed: ["data/b.csv"],
      // The folders' own modes changed too (we made them writable to edit them).
      modified: ["data"],
    });
  });

  it("a volume that was never locked is ERR_STORAGE_NOT_LOCKED", async () => {
    const other = await c.createVolume(VolumeSource.Job);
    expect(await codeOf(() => c.verifyVolume(other.Path))).toBe("ERR_STORAGE_NOT_LOCKED");
  });

  it("locking with a given CID keeps our digest for verify", async () => {
    const v = await c.lockVolume(path, { cid: "bafy-given" });
    expect(v.CID).toBe("bafy-given");
    const r = await c.verifyVolume(path);
    expect(r.ok).toBe(true);
    expect(r.cid).toBe("bafy-given");
  });

  it("a FIFO in a volume cannot be locked (ERR_STORAGE_UNSUPPORTED_ENTRY)", async () => {
    const other = await c.createVolume(VolumeSource.Job);
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [join(other.Path, "pipe")]);
    expect(await codeOf(() => c.lockVolume(other.Path))).toBe("ERR_STORAGE_UNSUPPORTED_ENTRY");
    expect(statSync(other.Path).mode & 0o200).not.toBe(0);
    expect((await c.getVolume(other.Path, IDType.Path)).ReadOnly).toBe(false);
  });
});
