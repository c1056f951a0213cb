import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, onTerminal, sh, tempDir, withAge, withTerminal } from "./helpers.js";
import { makeTree, snapshot } from "./tree.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;
let src: string;
let archive: string;

const expected = () => snapshot(src);

beforeAll(() => {
  t = tempDir("dms-dir-");
  key = join(t.dir, "key.txt");
  const g = dms(["keygen", "-o", key]);
  expect(g.status, g.stderr).toBe(0);
  rec = dms(["keygen", "-y", key]).out.trim();
  src = join(t.dir, "job");
  mkdirSync(src);
  makeTree(src);
  archive = join(t.dir, "job.age");
  const r = dms(["encrypt", "-r", rec, "-o", archive, src]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => t.cleanup());

describe("directories", () => {
  withAge("the archive is an age file whose plaintext is a tar that tar -t lists", () => {
    const plain = sh("/usr/bin/age", ["-d", "-i", key, archive]);
    expect(plain.status, plain.stderr).toBe(0);
    const listing = sh("tar", ["-t"], { input: plain.stdout });
    expect(listing.status, listing.stderr).toBe(0);
    const names = new Set(
      listing.out
        .split("\n")
        .filter(Boolean)
        .map((n) => n.replace(/^\.\//, "").replace(/\/$/, "")),
    );
    for (const n of ["params.json", "run.sh", "data/big.bin", "results/plots", "docs/résumé-données-🌱.md"]) {
      expect(names).toContain(n);
    }
  });

  it("-x extracts the same tree: bytes, modes, empty folders, Unicode names", () => {
    const out = join(t.dir, "out-file");
    const r = dms(["decrypt", "-i", key, "-x", out, archive]);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(out)).toEqual(expected());
  });

  it("--extract reads standard input too, into an existing empty folder", () => {
    const out = join(t.dir, "out-stdin");
    mkdirSync(out);
    const r = dms(["decrypt", "-i", key, "--extract", out], { input: readFileSync(archive) });
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(out)).toEqual(expected());
  });

  it("a directory goes to stdout when stdout is a pipe, and armored", () => {
    for (const armor of [[], ["-a"]]) {
      const enc = dms(["encrypt", ...armor, "-r", rec, src]);
      expect(enc.status, enc.stderr).toBe(0);
      const out = join(t.dir, `out-pipe${armor.length}`);
      const r = dms(["decrypt", "-i", key, "-x", out], { input: enc.stdout });
      expect(r.status, r.stderr).toBe(0);
      expect(snapshot(out)).toEqual(expected());
    }
  });

  it("refuses an -o inside the folder being encrypted", () => {
    const r = dms(["encrypt", "-r", rec, "-o", join(src, "data", "self.age"), src]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
    expect(snapshot(src).has("data/self.age")).toBe(false);
  });

  it("refuses a folder that extraction would refuse (names differing only by case), writing nothing", () => {
    const clash = join(t.dir, "clash");
    mkdirSync(clash);
    writeFileSync(join(clash, "Data.csv"), "1");
    writeFileSync(join(clash, "data.csv"), "2");
    const out = join(t.dir, "clash.age");
    const r = dms(["encrypt", "-r", rec, "-o", out, clash]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_ARCHIVE_COLLISION");
    expect(r.stderr).toContain("data.csv");
    expect(existsSync(out)).toBe(false);
  });

  it("refuses links on -x unless --allow-links, which restores links that stay inside", () => {
    const linked = join(t.dir, "linked");
    mkdirSync(linked);
    writeFileSync(join(linked, "model.bin"), "weights");
    symlinkSync("model.bin", join(linked, "latest"));
    const enc = join(t.dir, "linked.age");
    expect(dms(["encrypt", "-r", rec, "-o", enc, linked]).status).toBe(0);

    const refused = dms(["decrypt", "-i", key, "-x", join(t.dir, "linked-no"), enc]);
    expect(refused.status).toBe(1);
    expect(errorCode(refused.stderr)).toBe("ERR_ARCHIVE_LINK");
    expect(existsSync(join(t.dir, "linked-no"))).toBe(false);

    const out = join(t.dir, "linked-yes");
    const ok = dms(["decrypt", "-i", key, "--allow-links", "-x", out, enc]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readlinkSync(join(out, "latest"))).toBe("model.bin");
    expect(readFileSync(join(out, "latest"), "utf8")).toBe("weights");
  });

  it("refuses to extract into a folder that is not empty", () => {
    const out = join(t.dir, "not-empty");
    mkdirSync(out);
    writeFileSync(join(out, "x"), "x");
    const r = dms(["decrypt", "-i", key, "-x", out, archive]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_EXISTS");
    expect(readFileSync(join(out, "x"), "utf8")).toBe("x");
  });

  it("a wrong key extracts nothing and exits 1 with ERR_AGE_NO_MATCH", () => {
    const other = join(t.dir, "other.key");
    dms(["keygen", "-o", other]);
    const out = join(t.dir, "wrong-key");
    const r = dms(["decrypt", "-i", other, "-x", out, archive]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_NO_MATCH");
  });

  withTerminal("binary directory output is refused on a terminal", () => {
    const r = onTerminal(["node", "bin/dms.js", "encrypt", "-r", rec, src]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("(ERR_DMS_TERMINAL)");
  });
});
