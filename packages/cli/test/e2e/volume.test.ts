import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, tempDir } from "./helpers.js";
import { makeTree, snapshot } from "./tree.js";

let t: { dir: string; cleanup: () => void };
let root: string;
let key: string;
let rec: string;

const vol = (args: string[]) => dms(["volume", ...args, "--root", root]);

beforeAll(() => {
  t = tempDir("dms-vol-");
  root = join(t.dir, "root");
  key = join(t.dir, "key.txt");
  expect(dms(["keygen", "-o", key]).status).toBe(0);
  rec = dms(["keygen", "-y", key]).out.trim();
});
afterAll(() => t.cleanup());

describe("volume life cycle on a temp --root", () => {
  let locked: string;
  let cid: string;
  let plain: string;

  it("create prints the new volume's path under the root", () => {
    const r = vol(["create", "job"]);
    expect(r.status, r.stderr).toBe(0);
    locked = r.out.trim();
    expect(locked.startsWith(`${root}/job-`)).toBe(true);
    expect(existsSync(locked)).toBe(true);
    makeTree(locked);
    const r2 = vol(["create", "job", "--private"]);
    expect(r2.status, r2.stderr).toBe(0);
    plain = r2.out.trim();
    makeTree(plain);
  });

  it("an unknown source is ERR_DMS_USAGE", () => {
    const r = vol(["create", "ftp"]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
  });

  it("lock prints the content digest, and verify passes", () => {
    const r = vol(["lock", locked]);
    expect(r.status, r.stderr).toBe(0);
    cid = r.out.trim();
    expect(cid).toMatch(/^sha256:[0-9a-f]{64}$/);
    const v = vol(["verify", locked]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.out).toContain(cid);
  });

  it("verify catches a change: exit 1, the change listed, ERR_DMS_CHANGED", () => {
    const f = join(locked, "params.json");
    chmodSync(f, 0o644);
    writeFileSync(f, '{"seed": 2}\n');
    const v = vol(["verify", locked]);
    expect(v.status).toBe(1);
    expect(v.out).toContain("modified  params.json");
    expect(errorCode(v.stderr)).toBe("ERR_DMS_CHANGED");
    writeFileSync(f, '{"seed": 1}\n');
    chmodSync(f, 0o444);
    expect(vol(["verify", locked]).status).toBe(0);
  });

  it("ls --json lists both volumes with their state", () => {
    const r = vol(["ls", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const list = JSON.parse(r.out) as { Path: string; ReadOnly: boolean; CID: string; Private: boolean }[];
    const a = list.find((v) => v.Path === locked);
    const b = list.find((v) => v.Path === plain);
    expect(a?.ReadOnly).toBe(true);
    expect(a?.CID).toBe(cid);
    expect(b?.ReadOnly).toBe(false);
    expect(b?.Private).toBe(true);
    const text = vol(["ls"]);
    expect(text.out).toMatch(/^PATH\s+CID/);
    expect(text.out).toContain(locked);
  });

  it("size by path and by CID is the sum of the file sizes", () => {
    const expected = [...snapshot(locked).values()]
      .filter((e) => e.startsWith("file"))
      .reduce((n, e) => n + Number(e.split(" ")[2]), 0);
    expect(vol(["size", locked]).out.trim()).toBe(String(expected));
    expect(vol(["size", "--cid", cid]).out.trim()).toBe(String(expected));
    const both = vol(["size", locked, "--cid", cid]);
    expect(errorCode(both.stderr)).toBe("ERR_DMS_USAGE");
  });

  it("a locked volume cannot be encrypted (ERR_STORAGE_LOCKED)", () => {
    const r = vol(["encrypt", locked, "-r", rec]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_STORAGE_LOCKED");
  });

  it("encrypt then decrypt restores the volume", () => {
    const before = snapshot(plain);
    const e = vol(["encrypt", plain, "-r", rec]);
    expect(e.status, e.stderr).toBe(0);
    const listed = JSON.parse(vol(["ls", "--json"]).out) as { Path: string; EncryptionType: number }[];
    expect(listed.find((v) => v.Path === plain)?.EncryptionType).toBe(1);
    expect(existsSync(join(plain, "params.json"))).toBe(false);
    const other = join(t.dir, "other.key");
    dms(["keygen", "-o", other]);
    const bad = vol(["decrypt", plain, "-i", other]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^dms: error: .+ \(ERR_STORAGE_CIPHER\)\n$/);
    const d = vol(["decrypt", plain, "-i", key]);
    expect(d.status, d.stderr).toBe(0);
    expect(snapshot(plain)).toEqual(before);
    expect(readFileSync(join(plain, "params.json"), "utf8")).toBe('{"seed": 1}\n');
  });

  it("rm by path and by CID removes folder and record", () => {
    expect(vol(["rm", plain]).status).toBe(0);
    expect(vol(["rm", "--cid", cid]).status).toBe(0);
    expect(existsSync(plain)).toBe(false);
    expect(existsSync(locked)).toBe(false);
    expect(JSON.parse(vol(["ls", "--json"]).out)).toEqual([]);
    const again = vol(["rm", plain]);
    expect(again.status).toBe(1);
    expect(errorCode(again.stderr)).toBe("ERR_STORAGE_NOT_FOUND");
  });
});

describe("volume usage", () => {
  it("flags that do not apply are refused", () => {
    const r = vol(["ls", "--cid", "x"]);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
  });

  it("DMS_STORAGE_ROOT is the default root", () => {
    const envRoot = join(t.dir, "env-root");
    const r = dms(["volume", "create", "s3"], { env: { DMS_STORAGE_ROOT: envRoot } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.out.trim().startsWith(`${envRoot}/s3-`)).toBe(true);
  });
});
