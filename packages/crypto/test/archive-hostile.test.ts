import { lstat, mkdir, readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractTar } from "../src/archive/extract.js";
import type { ExtractOptions } from "../src/archive/names.js";
import { AgeError } from "../src/errors.js";
import {
  buildTar,
  cleanup,
  listTree,
  readableOf,
  type TarEntry,
  tempDir,
} from "./fixtures/archive/helpers.js";

// One hostile archive per pattern of the spec's list (age-format.md §6, node-tar's CVE history).
const file = (name: string, body = "x", mode = 0o644): TarEntry => ({
  header: { name, type: "file", mode },
  body,
});
const dir = (name: string, mode = 0o755): TarEntry => ({ header: { name, type: "directory", mode } });
const sym = (name: string, linkname: string): TarEntry => ({ header: { name, type: "symlink", linkname } });
const hard = (name: string, linkname: string): TarEntry => ({ header: { name, type: "link", linkname } });
// A pax header makes tar-stream store the name verbatim (ustar fields would cut it at NUL).
const paxFile = (name: string): TarEntry => ({ header: { name, type: "file", pax: {} }, body: "x" });

interface Case {
  what: string;
  entries: TarEntry[];
  code: string;
  opts?: ExtractOptions;
}

const LINKS = { allowLinks: true };

const cases: Case[] = [
  { what: "../ at the start", entries: [file("../evil")], code: "ERR_ARCHIVE_TRAVERSAL" },
  { what: ".. in the middle", entries: [file("a/../../evil")], code: "ERR_ARCHIVE_TRAVERSAL" },
  { what: ".. as a directory", entries: [dir("../")], code: "ERR_ARCHIVE_TRAVERSAL" },
  { what: "absolute path", entries: [file("/tmp/dms-evil")], code: "ERR_ARCHIVE_ABSOLUTE_PATH" },
  {
    what: "UNC path with slashes",
    entries: [file("//server/share/evil")],
    code: "ERR_ARCHIVE_ABSOLUTE_PATH",
  },
  { what: "drive letter with slash", entries: [file("C:/evil")], code: "ERR_ARCHIVE_DRIVE_LETTER" },
  { what: "drive-relative path", entries: [file("c:evil")], code: "ERR_ARCHIVE_DRIVE_LETTER" },
  {
    what: "UNC path with backslashes",
    entries: [file("\\\\server\\share\\evil")],
    code: "ERR_ARCHIVE_BACKSLASH",
  },
  { what: "backslash traversal", entries: [file("a\\..\\..\\evil")], code: "ERR_ARCHIVE_BACKSLASH" },
  { what: "NUL in a name", entries: [paxFile("a\u0000b")], code: "ERR_ARCHIVE_CONTROL_CHAR" },
  { what: "newline in a name", entries: [file("a\nb")], code: "ERR_ARCHIVE_CONTROL_CHAR" },
  { what: "terminal escape in a name", entries: [file("\u001b[31mred")], code: "ERR_ARCHIVE_CONTROL_CHAR" },
  { what: "C1 control in a name", entries: [paxFile("a\u0085b")], code: "ERR_ARCHIVE_CONTROL_CHAR" },
  {
    what: "right-to-left override disguising an extension",
    entries: [file("invoice\u202Efdp.exe")],
    code: "ERR_ARCHIVE_CONTROL_CHAR",
  },
  {
    what: "bidi isolate in a directory name",
    entries: [file("a\u2067b/c")],
    code: "ERR_ARCHIVE_CONTROL_CHAR",
  },
  {
    what: "bidi override in a symlink target",
    entries: [file("t"), sym("l", "\u202Et")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  { what: "symlink without allowLinks", entries: [file("t"), sym("l", "t")], code: "ERR_ARCHIVE_LINK" },
  { what: "hardlink without allowLinks", entries: [file("t"), hard("h", "t")], code: "ERR_ARCHIVE_LINK" },
  {
    what: "symlink then a file written through it",
    entries: [sym("l", ".."), file("l/evil")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "inside symlink then a file through it",
    entries: [dir("sub/"), sym("l", "sub"), file("l/x")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink to an absolute path",
    entries: [sym("l", "/etc/passwd")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink escaping with ..",
    entries: [sym("sub/l", "../../x")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink with .. after a name",
    entries: [dir("a/"), sym("l", "a/../..")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink through an earlier symlink",
    entries: [dir("d/"), sym("s", "d"), sym("l", "s/x")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink made a link later",
    entries: [sym("l", "s/x"), sym("s", ".")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "symlink with a backslash target",
    entries: [sym("l", "..\\..\\x")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  { what: "symlink with a drive target", entries: [sym("l", "C:/x")], code: "ERR_ARCHIVE_LINK", opts: LINKS },
  {
    what: "hardlink to outside",
    entries: [hard("h", "../outside/sentinel")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "hardlink to an absolute path",
    entries: [hard("h", "/etc/passwd")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  { what: "hardlink drive-relative", entries: [hard("h", "c:../x")], code: "ERR_ARCHIVE_LINK", opts: LINKS },
  {
    what: "hardlink to a path not yet in the archive",
    entries: [hard("h", "later"), file("later")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "hardlink to a directory",
    entries: [dir("d/"), hard("h", "d")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  {
    what: "hardlink to a symlink",
    entries: [file("t"), sym("s", "t"), hard("h", "s")],
    code: "ERR_ARCHIVE_LINK",
    opts: LINKS,
  },
  { what: "duplicate file", entries: [file("a"), file("a")], code: "ERR_ARCHIVE_DUPLICATE" },
  { what: "duplicate directory", entries: [dir("d/"), dir("d/")], code: "ERR_ARCHIVE_DUPLICATE" },
  { what: "duplicate via ./ spelling", entries: [file("a"), file("./a")], code: "ERR_ARCHIVE_DUPLICATE" },
  { what: "file replaced by a directory", entries: [file("a"), dir("a/")], code: "ERR_ARCHIVE_DUPLICATE" },
  { what: "a file as a parent", entries: [file("a"), file("a/b")], code: "ERR_ARCHIVE_COLLISION" },
  { what: "case collision", entries: [file("README"), file("readme")], code: "ERR_ARCHIVE_COLLISION" },
  {
    what: "case collision of directories",
    entries: [file("A/x"), file("a/y")],
    code: "ERR_ARCHIVE_COLLISION",
  },
  { what: "NFC vs NFD", entries: [file("caf\u00e9"), file("cafe\u0301")], code: "ERR_ARCHIVE_COLLISION" },
  { what: "ß vs ss", entries: [file("stra\u00dfe"), file("strasse")], code: "ERR_ARCHIVE_COLLISION" },
  {
    what: "names differing by a zero-width joiner (one name on HFS+)",
    entries: [file(".git/config"), file(".g\u200cit/config")],
    code: "ERR_ARCHIVE_COLLISION",
  },
  {
    what: "names differing by a byte order mark",
    entries: [file("run.sh"), file("\ufeffrun.sh")],
    code: "ERR_ARCHIVE_COLLISION",
  },
  {
    what: "symlink and file differing in case",
    entries: [sym("L", "."), file("l/x")],
    code: "ERR_ARCHIVE_COLLISION",
    opts: LINKS,
  },
  {
    what: "character device",
    entries: [{ header: { name: "tty", type: "character-device", devmajor: 5, devminor: 0 } }],
    code: "ERR_ARCHIVE_SPECIAL_FILE",
  },
  {
    what: "block device",
    entries: [{ header: { name: "sda", type: "block-device", devmajor: 8, devminor: 0 } }],
    code: "ERR_ARCHIVE_SPECIAL_FILE",
  },
  { what: "FIFO", entries: [{ header: { name: "pipe", type: "fifo" } }], code: "ERR_ARCHIVE_SPECIAL_FILE" },
  { what: "contents but a root-named file", entries: [file(".")], code: "ERR_ARCHIVE_MALFORMED" },
  {
    what: "too many entries",
    entries: Array.from({ length: 6 }, (_, i) => file(`f${i}`)),
    code: "ERR_ARCHIVE_TOO_MANY_ENTRIES",
    opts: { maxEntries: 5 },
  },
  {
    what: "too many bytes",
    entries: [file("a", "x".repeat(60)), file("b", "y".repeat(60))],
    code: "ERR_ARCHIVE_TOO_LARGE",
    opts: { maxTotalBytes: 100 },
  },
  { what: "too deep", entries: [file("a/b/c/d")], code: "ERR_ARCHIVE_TOO_DEEP", opts: { maxDepth: 3 } },
  { what: "too deep by default", entries: [file(`${"d/".repeat(64)}f`)], code: "ERR_ARCHIVE_TOO_DEEP" },
  {
    what: "path too long",
    entries: [file("abcdef/ghijkl")],
    code: "ERR_ARCHIVE_PATH_TOO_LONG",
    opts: { maxPathLength: 10 },
  },
  { what: "component over 255 bytes", entries: [file("x".repeat(256))], code: "ERR_ARCHIVE_PATH_TOO_LONG" },
];

let base: string;
let outside: string;
beforeEach(async () => {
  base = await tempDir();
  outside = join(base, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "sentinel"), "keep");
});
afterEach(async () => {
  await cleanup(base);
});

async function expectUntouched(out: string, before: "absent" | "empty") {
  if (before === "absent") await expect(lstat(out)).rejects.toMatchObject({ code: "ENOENT" });
  else expect(await readdir(out)).toEqual([]);
  // No staging folder left behind, nothing written beside or outside.
  expect((await readdir(base)).sort()).toEqual(
    ["out", "outside"].filter((n) => before === "empty" || n !== "out"),
  );
  expect(await listTree(outside)).toEqual(["sentinel"]);
  expect(await readFile(join(outside, "sentinel"), "utf8")).toBe("keep");
}

describe("hostile archives are refused with their own code", () => {
  for (const c of cases) {
    it(`${c.what} → ${c.code}`, async () => {
      const tar = await buildTar(c.entries);
      const out = join(base, "out");
      const err = await extractTar(readableOf(tar, 512), out, c.opts).catch((e) => e);
      expect(err).toBeInstanceOf(AgeError);
      expect(err.code).toBe(c.code);
      expect(err.message).toMatch(/archive/);
      await expectUntouched(out, "absent");
    });
  }

  it("an empty target stays empty", async () => {
    const out = join(base, "out");
    await mkdir(out);
    const tar = await buildTar([file("ok"), file("../evil")]);
    await expect(extractTar(readableOf(tar), out)).rejects.toMatchObject({ code: "ERR_ARCHIVE_TRAVERSAL" });
    await expectUntouched(out, "empty");
  });

  it("the message names the entry and says what to do", async () => {
    const tar = await buildTar([file("../evil")]);
    const err = await extractTar(readableOf(tar), join(base, "out")).catch((e) => e);
    expect(err.message).toContain('"../evil"');
    expect(err.message).toMatch(/do not extract it/);
  });
});

describe("damaged archives leave the target untouched", () => {
  it("no end-of-archive marker (cut at an entry boundary)", async () => {
    const tar = await buildTar([file("a", "hello")], { endMarker: false });
    const out = join(base, "out");
    await expect(extractTar(readableOf(tar), out)).rejects.toMatchObject({ code: "ERR_ARCHIVE_MALFORMED" });
    await expectUntouched(out, "absent");
  });

  it("cut inside an entry's data", async () => {
    const tar = await buildTar([file("a", "x".repeat(5000)), file("b")]);
    const out = join(base, "out");
    await expect(extractTar(readableOf(tar.subarray(0, 2048)), out)).rejects.toMatchObject({
      code: "ERR_ARCHIVE_MALFORMED",
    });
    await expectUntouched(out, "absent");
  });

  it("a header with a bad checksum", async () => {
    const tar = Buffer.from(await buildTar([file("a"), file("b")]));
    tar[1024 + 10] = (tar[1024 + 10] as number) ^ 0x01;
    const out = join(base, "out");
    await expect(extractTar(readableOf(tar), out)).rejects.toMatchObject({ code: "ERR_ARCHIVE_MALFORMED" });
    await expectUntouched(out, "absent");
  });

  it("an empty stream", async () => {
    const out = join(base, "out");
    await expect(extractTar(readableOf(new Uint8Array(0)), out)).rejects.toMatchObject({
      code: "ERR_ARCHIVE_MALFORMED",
    });
    await expectUntouched(out, "absent");
  });

  it("a source that fails mid-way keeps its error", async () => {
    const tar = await buildTar([file("a", "x".repeat(10000))]);
    async function* failing() {
      yield tar.subarray(0, 1024);
      throw new AgeError("ERR_AGE_PAYLOAD", "age payload: tampered");
    }
    const out = join(base, "out");
    await expect(extractTar(failing(), out)).rejects.toMatchObject({ code: "ERR_AGE_PAYLOAD" });
    await expectUntouched(out, "absent");
  });
});

describe("what hardened extraction does allow", () => {
  it("emoji joined with a zero-width joiner, and right-to-left scripts without controls", async () => {
    const names = [
      "\u{1F469}\u200D\u{1F4BB} notes.txt",
      "\u05E9\u05DC\u05D5\u05DD.txt",
      "\u0645\u0644\u0641",
    ];
    const tar = await buildTar(names.map((n) => file(n, n)));
    const out = join(base, "out");
    await extractTar(readableOf(tar), out);
    expect((await readdir(out)).sort()).toEqual([...names].sort());
    expect(await readFile(join(out, names[0] as string), "utf8")).toBe(names[0]);
  });

  it("strips set-uid and set-gid; a world-writable directory keeps its sticky bit or loses world write", async () => {
    const tar = await buildTar([
      file("suid", "x", 0o4755),
      file("sgid", "x", 0o2755),
      dir("tmp/", 0o1777),
      dir("open/", 0o777),
    ]);
    const out = join(base, "out");
    const old = process.umask(0);
    try {
      await extractTar(readableOf(tar), out);
    } finally {
      process.umask(old);
    }
    expect((await lstat(join(out, "suid"))).mode & 0o7777).toBe(0o755);
    expect((await lstat(join(out, "sgid"))).mode & 0o7777).toBe(0o755);
    // Stripping the sticky bit of a 1777 folder would leave it world-writable without protection.
    expect((await lstat(join(out, "tmp"))).mode & 0o7777).toBe(0o1777);
    expect((await lstat(join(out, "open"))).mode & 0o7777).toBe(0o775);
  });

  it("links that stay inside, with allowLinks", async () => {
    const tar = await buildTar([
      dir("sub/"),
      file("sub/t", "target"),
      sym("sub/up", "../top"),
      file("top", "top"),
      sym("l", "sub/t"),
      hard("h", "sub/t"),
    ]);
    const out = join(base, "out");
    await extractTar(readableOf(tar), out, LINKS);
    expect(await readlink(join(out, "sub/up"))).toBe("../top");
    expect(await readFile(join(out, "sub/up"), "utf8")).toBe("top");
    expect(await readFile(join(out, "l"), "utf8")).toBe("target");
    expect((await lstat(join(out, "h"))).ino).toBe((await lstat(join(out, "sub/t"))).ino);
  });

  it("a later explicit entry for an implied directory sets its mode", async () => {
    const tar = await buildTar([file("d/f"), dir("d/", 0o700)]);
    const out = join(base, "out");
    await extractTar(readableOf(tar), out);
    expect((await lstat(join(out, "d"))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(out, "d/f"), "utf8")).toBe("x");
  });

  it("a read-only directory with contents", async () => {
    const tar = await buildTar([dir("ro/", 0o555), file("ro/f")]);
    const out = join(base, "out");
    await extractTar(readableOf(tar), out);
    expect((await lstat(join(out, "ro"))).mode & 0o777).toBe(0o555);
    expect(await readFile(join(out, "ro/f"), "utf8")).toBe("x");
  });

  it("caps can be raised: 70 levels deep with maxDepth 100", async () => {
    const tar = await buildTar([file(`${"d/".repeat(70)}f`)]);
    const out = join(base, "out");
    await extractTar(readableOf(tar), out, { maxDepth: 100 });
    expect(await readFile(join(out, `${"d/".repeat(70)}f`), "utf8")).toBe("x");
  });

  it("bad caps are RangeErrors naming the option", async () => {
    await expect(
      extractTar(readableOf(new Uint8Array(0)), join(base, "out"), { maxEntries: -1 }),
    ).rejects.toThrow(/maxEntries/);
    await expect(
      extractTar(readableOf(new Uint8Array(0)), join(base, "out"), { maxDepth: 1.5 }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
