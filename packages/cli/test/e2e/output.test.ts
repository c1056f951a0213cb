// -o targets that are not plain files: the command writes into them as age does, never over them.
import { spawn, spawnSync } from "node:child_process";
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
import { bin, dms, keygen, tempDir } from "./helpers.js";

// Devices are made with mknod in a temp dir (never the real /dev/null), which needs root.
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn("skipping the -o device tests: mknod needs root");

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

/** The built CLI without blocking the test process (a FIFO needs a reader running meanwhile). */
function dmsAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((res, rej) => {
    const c = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    c.stderr.on("data", (b: Buffer) => {
      stderr += b.toString("utf8");
    });
    c.on("error", rej);
    c.on("close", (status) => res({ status, stderr }));
  });
}

describe("dms -o", () => {
  it.skipIf(!isRoot)(
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

  it.skipIf(!isRoot)(
    "into a full device (a /dev/full made with mknod) is ERR_DMS_NO_SPACE, device kept",
    () => {
      const dir = join(t.dir, "full");
      mkdirSync(dir);
      const dev = join(dir, "full");
      expect(spawnSync("mknod", [dev, "c", "1", "7"]).status).toBe(0);
      const r = dms(["decrypt", "-i", key, "-o", dev], { input: readFileSync(enc) });
      // The library's engine writes -o and reports its own no-space code; a stream path, the CLI's.
      expect(r.stderr).toMatch(/no space left.*\(ERR_(DMS|AGE)_NO_SPACE\)\n$/);
      expect(r.status).toBe(1);
      expect(dms(["decrypt", "-i", key, "-o", dev, enc]).stderr).toMatch(
        /no space left.*\(ERR_(DMS|AGE)_NO_SPACE\)\n$/,
      );
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
      expect(readdirSync(dir)).toEqual(["full"]);
    },
  );

  it("into a FIFO writes into it, and the FIFO stays a FIFO (never renamed over)", async () => {
    const dir = join(t.dir, "fifo");
    mkdirSync(dir);
    const fifo = join(dir, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // A reader on the FIFO, in another process, collects what dms writes.
    const reader = spawn("cat", [fifo]);
    const got: Buffer[] = [];
    reader.stdout.on("data", (b: Buffer) => got.push(b));
    const done = new Promise<number | null>((res) => reader.on("close", res));
    const r = await dmsAsync(["decrypt", "-i", key, "-o", fifo, enc]);
    expect(r.status, r.stderr).toBe(0);
    expect(await done).toBe(0);
    expect(Buffer.concat(got).toString("utf8")).toBe("job input");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(["pipe"]);
  });

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
