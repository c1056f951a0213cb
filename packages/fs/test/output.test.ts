import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FsError, openOutput, writeFileAtomic } from "../src/index.js";

const base = mkdtempSync(join(tmpdir(), "dms-fs-test-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(base, `t${n++}`);
  mkdirSync(d);
  return d;
};
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn("@dms/fs: skipping the owner and device tests: they need root (chown, mknod)");

describe("openOutput: regular files", () => {
  it("a new file gets 0666 less the umask, as age -o gives, and no temp remains", async () => {
    const d = fresh();
    await writeFileAtomic(join(d, "f"), "new");
    expect(readFileSync(join(d, "f"), "utf8")).toBe("new");
    expect(statSync(join(d, "f")).mode & 0o777).toBe(0o666 & ~process.umask());
    expect(temps(d)).toEqual([]);
  });

  it("an existing file keeps its permission bits (0600 stays 0600)", async () => {
    const d = fresh();
    writeFileSync(join(d, "f"), "old", { mode: 0o600 });
    chmodSync(join(d, "f"), 0o600);
    await writeFileAtomic(join(d, "f"), "replaced");
    expect(readFileSync(join(d, "f"), "utf8")).toBe("replaced");
    expect(statSync(join(d, "f")).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!isRoot)("root replacing another user's file keeps its owner", async () => {
    const d = fresh();
    writeFileSync(join(d, "f"), "old");
    chownSync(join(d, "f"), 65534, 65534);
    await writeFileAtomic(join(d, "f"), "new");
    expect(statSync(join(d, "f")).uid).toBe(65534);
  });

  it("the temp is 0600 while it is written, and gets its final mode only at commit", async () => {
    const d = fresh();
    const out = await openOutput(join(d, "f"));
    await out.writev([Buffer.from("partial")]);
    const [tmp] = temps(d);
    expect(tmp).toMatch(/^\.f\.dms-\d+-[0-9a-f]{12}\.tmp$/);
    expect(statSync(join(d, tmp as string)).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).not.toContain("f");
    await out.commit();
    expect(readdirSync(d)).toEqual(["f"]);
  });

  it("abort leaves an existing target as it was and removes the temp", async () => {
    const d = fresh();
    writeFileSync(join(d, "f"), "keep");
    const out = await openOutput(join(d, "f"));
    await out.writev([Buffer.from("discarded")]);
    await out.abort();
    expect(readFileSync(join(d, "f"), "utf8")).toBe("keep");
    expect(temps(d)).toEqual([]);
  });

  it("flushes the file while it is written (write-behind), and stops at commit and at abort", async () => {
    for (const end of ["commit", "abort"] as const) {
      const out = await openOutput(join(fresh(), "wb.bin"));
      let syncs = 0;
      const datasync = out.handle.datasync.bind(out.handle);
      out.handle.datasync = () => {
        syncs++;
        return datasync();
      };
      await out.writev([new Uint8Array(1 << 20)]);
      await new Promise((r) => setTimeout(r, 600));
      expect(syncs, "an fdatasync about every 250 ms while open").toBeGreaterThanOrEqual(1);
      await out[end]();
      const after = syncs;
      await new Promise((r) => setTimeout(r, 600));
      expect(syncs, `none after ${end}`).toBe(after);
    }
  });

  it("errors name the user's path, never the temp file, with a kind", async () => {
    const d = fresh();
    const target = join(d, "missing-dir", "f");
    const err = await openOutput(target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FsError);
    expect((err as FsError).kind).toBe("not-found");
    expect((err as FsError).path).toBe(target);
    expect((err as FsError).message).toContain(target);
    expect((err as FsError).message).not.toContain(".tmp");
    const dirErr = (await openOutput(d).catch((e: unknown) => e)) as FsError;
    expect([dirErr.kind, dirErr.errno]).toEqual(["other", "EISDIR"]);
  });

  it("wrong argument types are TypeError / RangeError naming the argument", async () => {
    await expect(openOutput(1 as unknown as string)).rejects.toThrow(TypeError);
    await expect(openOutput(join(fresh(), "f"), { mode: 0o10000 })).rejects.toThrow(/mode/);
  });
});

describe("openOutput: targets that are not regular files", () => {
  it.skipIf(!isRoot)("a character device (like /dev/null) is written into, never replaced", async () => {
    const d = fresh();
    const dev = join(d, "null");
    expect(spawnSync("mknod", [dev, "c", "1", "3"]).status).toBe(0);
    const out = await openOutput(dev);
    expect(out.how).toBe("direct");
    await out.writev([Buffer.from("plaintext")]);
    await out.commit();
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(d)).toEqual(["null"]);
  });

  it("a FIFO is written into and stays a FIFO", async () => {
    const d = fresh();
    const fifo = join(d, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let got = "";
    reader.stdout.on("data", (c: Buffer) => {
      got += c.toString();
    });
    const closed = new Promise((r) => reader.on("close", r));
    await writeFileAtomic(fifo, "through the pipe");
    await closed;
    expect(got).toBe("through the pipe");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("a symlink is written through: the link stays a link, the temp lives beside the file it names", async () => {
    const d = fresh();
    const real = fresh();
    writeFileSync(join(real, "target"), "old", { mode: 0o640 });
    chmodSync(join(real, "target"), 0o640);
    symlinkSync(join(real, "target"), join(d, "link"));
    const out = await openOutput(join(d, "link"));
    await out.writev([Buffer.from("new")]);
    expect(temps(d)).toEqual([]);
    expect(temps(real)).toHaveLength(1);
    await out.commit();
    expect(lstatSync(join(d, "link")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "link"))).toBe(join(real, "target"));
    expect(readFileSync(join(real, "target"), "utf8")).toBe("new");
    expect(statSync(join(real, "target")).mode & 0o777).toBe(0o640);
  });

  it("a dangling relative symlink creates the file it names", async () => {
    const d = fresh();
    symlinkSync("made", join(d, "link"));
    await writeFileAtomic(join(d, "link"), "x");
    expect(lstatSync(join(d, "link")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, "made"), "utf8")).toBe("x");
  });
});
