import { execFileSync } from "node:child_process";
import { chmod, lstat, mkdir, readFile, readlink, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { extract } from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drained, extractTar } from "../src/archive/extract.js";
import { packDirectory } from "../src/archive/pack.js";
import { tarExtract } from "../src/archive/tar.js";
import { AgeError } from "../src/errors.js";
import {
  buildTar,
  cleanup,
  listTree,
  readableOf,
  type TarEntry,
  tempDir,
} from "./fixtures/archive/helpers.js";

let base: string;
beforeEach(async () => {
  base = await tempDir();
});
afterEach(async () => {
  await cleanup(base);
});

async function tarOf(dir: string, o: Parameters<typeof packDirectory>[1] = {}) {
  const { stream, done } = packDirectory(dir, o);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { tar: Buffer.concat(chunks), result: await done };
}

async function headersOf(tar: Uint8Array) {
  const ex = extract();
  const headers: {
    name: string;
    type: string;
    mode: number;
    uid: number;
    gid: number;
    uname: string;
    gname: string;
    mtime: Date;
    size: number;
    linkname: string | null;
  }[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      headers.push(entry.header);
      entry.resume();
    }
  })();
  ex.end(tar);
  await done;
  return headers;
}

const BIG = 64 * 1024 * 3 + 17;

async function makeTree(root: string) {
  await mkdir(join(root, "d/e"), { recursive: true });
  await mkdir(join(root, "empty"));
  await writeFile(join(root, "a.txt"), "hello");
  await chmod(join(root, "a.txt"), 0o664);
  await writeFile(join(root, "d/run.sh"), "#!/bin/sh\necho hi\n");
  await chmod(join(root, "d/run.sh"), 0o750);
  await writeFile(join(root, "d/secret"), "s");
  await chmod(join(root, "d/secret"), 0o600);
  await writeFile(join(root, "d/e/big.bin"), Buffer.alloc(BIG, 0xab));
  await writeFile(join(root, "日本語 ファイル.txt"), "unicode");
  await writeFile(join(root, "café"), "nfc");
  await writeFile(join(root, `${"long-name-".repeat(20)}.txt`), "pax path");
}

describe("packDirectory", () => {
  it("writes entries in byte order, parents first, with normalised modes and no owners", async () => {
    const src = join(base, "src");
    await makeTree(src);
    await symlink("a.txt", join(src, "link"));
    const { tar, result } = await tarOf(src);
    const hs = await headersOf(tar);
    expect(hs.map((h) => h.name)).toEqual([
      "a.txt",
      "café",
      "d/",
      "d/e/",
      "d/e/big.bin",
      "d/run.sh",
      "d/secret",
      "empty/",
      "link",
      `${"long-name-".repeat(20)}.txt`,
      "日本語 ファイル.txt",
    ]);
    expect(result).toEqual({ entries: 11, bytes: 5 + 18 + 1 + BIG + 7 + 3 + 8 });
    const by = new Map(hs.map((h) => [h.name, h]));
    expect(by.get("d/run.sh")?.mode).toBe(0o755);
    expect(by.get("a.txt")?.mode).toBe(0o644);
    // Owner-only files stay owner-only: a secret must not come back world-readable.
    expect(by.get("d/secret")?.mode).toBe(0o600);
    expect(by.get("d/")?.mode).toBe(0o755);
    expect(by.get("link")?.type).toBe("symlink");
    expect(by.get("link")?.linkname).toBe("a.txt");
    for (const h of hs) {
      expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, "", ""]);
    }
  });

  it("keeps whole-second mtimes by default and stores a fixed one when asked", async () => {
    const src = join(base, "src");
    await mkdir(src);
    await writeFile(join(src, "f"), "x");
    await utimes(join(src, "f"), 1_600_000_000.75, 1_600_000_000.75);
    const kept = await headersOf((await tarOf(src)).tar);
    expect(kept[0]?.mtime.getTime()).toBe(1_600_000_000_000);
    const fixed = await headersOf((await tarOf(src, { mtime: new Date(0) })).tar);
    expect(fixed[0]?.mtime.getTime()).toBe(0);
  });

  it("produces identical bytes for identical trees with a fixed mtime", async () => {
    const a = join(base, "a");
    const b = join(base, "b");
    await makeTree(a);
    await makeTree(b);
    const ta = await tarOf(a, { mtime: new Date(0) });
    const tb = await tarOf(b, { mtime: new Date(0) });
    expect(Buffer.compare(ta.tar, tb.tar)).toBe(0);
  });

  it("is read by GNU tar, which lists exactly the stored entries", async () => {
    const src = join(base, "src");
    await makeTree(src);
    const { tar } = await tarOf(src);
    await writeFile(join(base, "x.tar"), tar);
    const listed = execFileSync("tar", ["-tf", join(base, "x.tar")], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(listed).toEqual((await headersOf(tar)).map((h) => h.name));
    const out = join(base, "gnu");
    await mkdir(out);
    execFileSync("tar", ["-xf", join(base, "x.tar"), "-C", out]);
    expect(await listTree(out)).toEqual(await listTree(src));
    expect((await readFile(join(out, "d/e/big.bin"))).length).toBe(BIG);
  });

  it("refuses sockets, FIFOs and devices in the tree", async () => {
    const src = join(base, "src");
    await mkdir(src);
    execFileSync("mkfifo", [join(src, "pipe")]);
    const { stream, done } = packDirectory(src);
    stream.on("error", () => {});
    stream.resume();
    await expect(done).rejects.toMatchObject({ code: "ERR_ARCHIVE_SPECIAL_FILE" });
  });

  it("refuses a path that is not a directory", async () => {
    await writeFile(join(base, "file"), "x");
    const { stream, done } = packDirectory(join(base, "file"));
    stream.on("error", () => {});
    stream.resume();
    await expect(done).rejects.toMatchObject({ code: "ERR_AGE_IO", errno: "ENOTDIR" });
  });

  it("lets timers run while it walks and reads many files with synchronous calls", async () => {
    const src = join(base, "many");
    await mkdir(src);
    // Empty files: the tar holds 2000 headers and no content, so the consumer rarely waits.
    await Promise.all(Array.from({ length: 2000 }, (_, i) => writeFile(join(src, `f${i}`), "")));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const { result } = await tarOf(src);
      expect(result.entries).toBe(2000);
    } finally {
      clearInterval(timer);
    }
    // The walk yields to the event loop every 256 entries, so a timer fires several times.
    expect(ticks).toBeGreaterThanOrEqual(4);
  });
});

describe("extractTar round trip", () => {
  it("restores files, empty directories, executable bits, Unicode names and large files", async () => {
    const src = join(base, "src");
    await makeTree(src);
    const { tar } = await tarOf(src);
    const out = join(base, "out");
    const r = await extractTar(readableOf(tar, 1000), out);
    expect(r).toEqual({ entries: 10, bytes: 5 + 18 + 1 + BIG + 7 + 3 + 8 });
    expect(await listTree(out)).toEqual(await listTree(src));
    expect(await readFile(join(out, "d/e/big.bin"))).toEqual(Buffer.alloc(BIG, 0xab));
    expect(await readFile(join(out, "日本語 ファイル.txt"), "utf8")).toBe("unicode");
    expect((await lstat(join(out, "d/run.sh"))).mode & 0o777).toBe(0o755);
    expect((await lstat(join(out, "d/secret"))).mode & 0o777).toBe(0o600);
    expect((await lstat(join(out, "empty"))).isDirectory()).toBe(true);
  });

  it("restores a symlink only with allowLinks", async () => {
    const src = join(base, "src");
    await mkdir(join(src, "sub"), { recursive: true });
    await writeFile(join(src, "sub/t"), "t");
    await symlink("t", join(src, "sub/l"));
    const { tar } = await tarOf(src);
    const refused = join(base, "refused");
    await expect(extractTar(readableOf(tar), refused)).rejects.toMatchObject({ code: "ERR_ARCHIVE_LINK" });
    await expect(lstat(refused)).rejects.toMatchObject({ code: "ENOENT" });
    const out = join(base, "out");
    await extractTar(readableOf(tar), out, { allowLinks: true });
    expect(await readlink(join(out, "sub/l"))).toBe("t");
    expect(await readFile(join(out, "sub/l"), "utf8")).toBe("t");
  });

  it("round-trips 10 000 small files byte for byte (extract, then pack again)", async () => {
    const entries: TarEntry[] = [];
    for (let d = 0; d < 10; d++) {
      const dname = `d${d}`;
      entries.push({ header: { name: `${dname}/`, type: "directory", mode: 0o755 } });
      for (let i = 0; i < 1000; i++) {
        const name = `${dname}/f${String(i).padStart(4, "0")}`;
        entries.push({
          header: { name, type: "file", mode: i % 7 === 0 ? 0o755 : 0o644 },
          body: `${d}:${i}`,
        });
      }
    }
    const tar = await buildTar(entries);
    const out = join(base, "out");
    const r = await extractTar(readableOf(tar, 65536), out);
    expect(r.entries).toBe(10_010);
    expect(await readFile(join(out, "d7/f0123"), "utf8")).toBe("7:123");
    const again = await tarOf(out);
    expect(again.result.entries).toBe(10_010);
    // The packer writes its own headers (POSIX numeric fields), not tar-stream's: same entries and
    // content, and packing what it extracted again gives the same bytes.
    const out2 = join(base, "out2");
    await extractTar(readableOf(again.tar, 65536), out2);
    expect(Buffer.compare((await tarOf(out2)).tar, again.tar)).toBe(0);
    expect(await readFile(join(out2, "d7/f0123"), "utf8")).toBe("7:123");
  }, 60_000);

  it("extracts a GNU tar archive with ./ prefixes", async () => {
    const src = join(base, "src");
    await makeTree(src);
    execFileSync("tar", ["-cf", join(base, "g.tar"), "-C", src, "."]);
    const out = join(base, "out");
    await extractTar(readableOf(await readFile(join(base, "g.tar"))), out);
    expect(await listTree(out)).toEqual(await listTree(src));
  });

  it("extracts a GNU tar archive written with 1 MiB records (blocking factor 2048)", async () => {
    const src = join(base, "src");
    await makeTree(src);
    execFileSync("tar", ["-b", "2048", "-cf", join(base, "b.tar"), "-C", src, "."]);
    const out = join(base, "out");
    await extractTar(readableOf(await readFile(join(base, "b.tar")), 65536), out);
    expect(await listTree(out)).toEqual(await listTree(src));
  });

  it("into an existing empty directory keeps its mode", async () => {
    const src = join(base, "src");
    await mkdir(src);
    await writeFile(join(src, "f"), "x");
    const out = join(base, "out");
    await mkdir(out, { mode: 0o750 });
    await chmod(out, 0o750);
    await extractTar(readableOf((await tarOf(src)).tar), out);
    expect(await readFile(join(out, "f"), "utf8")).toBe("x");
    expect((await lstat(out)).mode & 0o777).toBe(0o750);
  });

  it("is AgeError with ERR_ARCHIVE_NOT_EMPTY for a non-empty directory, which stays untouched", async () => {
    const out = join(base, "out");
    await mkdir(out);
    await writeFile(join(out, "keep"), "k");
    const src = join(base, "src");
    await mkdir(src);
    await writeFile(join(src, "f"), "x");
    const err = await extractTar(readableOf((await tarOf(src)).tar), out).catch((e) => e);
    expect(err).toBeInstanceOf(AgeError);
    expect(err.code).toBe("ERR_ARCHIVE_NOT_EMPTY");
    expect(await listTree(out)).toEqual(["keep"]);
  });
});

// A full disk under a big entry: tar-stream could destroy the parser before extraction's own
// failure handler ran, and the feed then waited for a drain or close that had already happened
// (a test on a 4 MiB tmpfs hung about one run in eight under load).
describe("waiting for the tar parser", () => {
  it("rejects at once when the parser is already destroyed, and resolves on drain otherwise", async () => {
    const gone = tarExtract();
    gone.destroy();
    await new Promise((r) => setTimeout(r, 10));
    await expect(drained(gone)).rejects.toThrow(/tar parser closed/);
    const closing = tarExtract();
    closing.destroy();
    await expect(drained(closing)).rejects.toThrow(/tar parser closed/);
    const live = tarExtract();
    const wait = drained(live);
    live.emit("drain");
    await expect(wait).resolves.toBeUndefined();
  });
});
