// -o targets that are not plain files: the command writes into them as age does, never over them.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, keygen, tempDir } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;
let enc: string;
beforeAll(() => {
  t = tempDir("dms-cli-out-");
  ({ path: key, recipient: rec } = keygen(t.dir, "k"));
  writeFileSync(join(t.dir, "plain"), "job input");
  enc = join(t.dir, "plain.age");
  expect(dms(["encrypt", "-r", rec, "-o", enc, join(t.dir, "plain")]).status).toBe(0);
});
afterAll(() => t.cleanup());

describe("dms -o", () => {
  it.skipIf(process.getuid?.() !== 0)(
    "into a character device (a /dev/null made with mknod) leaves the device in place",
    () => {
      const dir = join(t.dir, "dev");
      mkdirSync(dir);
      const dev = join(dir, "null");
      expect(spawnSync("mknod", [dev, "c", "1", "3"]).status).toBe(0);
      const r = dms(["decrypt", "-i", key, "-o", dev], { input: readFileSync(enc) });
      expect(r.status, r.stderr).toBe(0);
      expect(dms(["decrypt", "-i", key, "-o", dev, enc]).status).toBe(0);
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
      expect(readdirSync(dir)).toEqual(["null"]);
    },
  );

  it("through a symlink keeps the link, and an existing 0600 file stays 0600", () => {
    const real = join(t.dir, "real.txt");
    writeFileSync(real, "old");
    chmodSync(real, 0o600);
    const link = join(t.dir, "link.txt");
    symlinkSync(real, link);
    expect(dms(["decrypt", "-i", key, "-o", link], { input: readFileSync(enc) }).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("job input");
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });
});
