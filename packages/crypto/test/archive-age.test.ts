import { execFileSync, spawnSync } from "node:child_process";
import { chmod, lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptDirectory, extractDirectory } from "../src/archive/directory.js";
import { packDirectory } from "../src/archive/pack.js";
import { AgeError } from "../src/errors.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { cleanup, listTree, tempDir } from "./fixtures/archive/helpers.js";
import { bytes, hasAgeCli } from "./helpers.js";

// Tests marked withAge drive the reference CLI; they skip visibly without it (required in CI).
const AGE = "age";
const withAge = it.skipIf(!hasAgeCli());

let base: string;
let src: string;
let identity: string;
let recipient: string;
const BIG = 3 * 65536 + 100;

beforeAll(async () => {
  base = await tempDir();
  src = join(base, "src");
  await mkdir(join(src, "bin"), { recursive: true });
  await mkdir(join(src, "empty"));
  await mkdir(join(src, "données/ñ"), { recursive: true });
  await writeFile(join(src, "bin/run"), "#!/bin/sh\n");
  await chmod(join(src, "bin/run"), 0o755);
  await writeFile(join(src, "big.bin"), Buffer.alloc(BIG, 0x5a));
  await writeFile(join(src, "données/ñ/χ.txt"), "grüße");
  await writeFile(join(src, "zero"), "");
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  await writeFile(join(base, "key.txt"), `${identity}\n`);
  // Several tests below read this archive, whether or not the age CLI is there to check it.
  await encryptDirectory(src, join(base, "a.tar.age"), { recipients: [recipient] });
});
afterAll(async () => {
  await cleanup(base);
});

describe("encryptDirectory", () => {
  it("reports the entries and file bytes it archived", async () => {
    const r = await encryptDirectory(src, join(base, "count.age"), { recipients: [recipient] });
    expect(r).toEqual({ entries: 8, bytes: 10 + BIG + 7 });
  });

  withAge("writes an age file that `age -d | tar -t` lists exactly, and `tar -x` restores", async () => {
    const dst = join(base, "a.tar.age");
    const tar = execFileSync(AGE, ["-d", "-i", join(base, "key.txt"), dst]);
    const listed = execFileSync("tar", ["-t"], { input: tar, encoding: "utf8" }).trim().split("\n");
    expect(listed).toEqual([
      "big.bin",
      "bin/",
      "bin/run",
      "données/",
      "données/ñ/",
      "données/ñ/χ.txt",
      "empty/",
      "zero",
    ]);
    const out = join(base, "gnu-out");
    await mkdir(out);
    execFileSync("tar", ["-x", "-C", out], { input: tar });
    expect(await listTree(out)).toEqual(await listTree(src));
    expect((await lstat(join(out, "bin/run"))).mode & 0o111).not.toBe(0);
  });

  it("its archive is exactly packDirectory's tar, across many 1 MiB pieces of one reused buffer", async () => {
    // encryptDirectory packs into a single tar buffer that each piece overwrites (pack.ts); a piece
    // kept past its turn would show here as bytes of a later one.
    const tree = join(base, "pieces");
    await mkdir(tree);
    for (let i = 0; i < 40; i++) {
      const size = i % 7 === 0 ? 1024 * 1024 + 333 * i : 4096 + 97 * i;
      await writeFile(join(tree, `f${String(i).padStart(2, "0")}`), bytes(size, i + 1));
    }
    const mtime = new Date("2026-01-02T03:04:05Z");
    const { stream, done } = packDirectory(tree, { mtime });
    const tar = await buffer(stream);
    await done;
    expect(tar.length).toBeGreaterThan(6 * 1024 * 1024);
    const sink = new PassThrough();
    const ct = buffer(sink);
    await encryptDirectory(tree, sink, { recipients: [recipient], mtime });
    const plain = await decrypt(await ct, { identities: [identity] });
    expect(Buffer.compare(plain, tar)).toBe(0);
  });

  it("round-trips through extractDirectory, armored too", async () => {
    for (const armor of [false, true]) {
      const dst = join(base, `rt-${armor}.age`);
      await encryptDirectory(src, dst, { recipients: [recipient], armor });
      const head = (await readFile(dst)).subarray(0, 10).toString("latin1");
      expect(head.startsWith("-----BEGIN")).toBe(armor);
      const out = join(base, `rt-${armor}`);
      const r = await extractDirectory(dst, out, { identities: [identity] });
      expect(r).toEqual({ entries: 8, bytes: 10 + BIG + 7 });
      expect(await listTree(out)).toEqual(await listTree(src));
      expect(await readFile(join(out, "big.bin"))).toEqual(Buffer.alloc(BIG, 0x5a));
      expect(await readFile(join(out, "données/ñ/χ.txt"), "utf8")).toBe("grüße");
      expect((await lstat(join(out, "bin/run"))).mode & 0o777).toBe(0o755);
    }
  });

  it("extracts with fsync", async () => {
    const out = join(base, "synced");
    const r = await extractDirectory(join(base, "a.tar.age"), out, { identities: [identity], fsync: true });
    expect(r.entries).toBe(8);
    expect(await listTree(out)).toEqual(await listTree(src));
  });

  withAge("an empty directory round-trips to an empty directory", async () => {
    const empty = join(base, "empty-src");
    await mkdir(empty);
    const dst = join(base, "empty.age");
    expect(await encryptDirectory(empty, dst, { recipients: [recipient] })).toEqual({ entries: 0, bytes: 0 });
    const tar = execFileSync(AGE, ["-d", "-i", join(base, "key.txt"), dst]);
    expect(execFileSync("tar", ["-t"], { input: tar, encoding: "utf8" })).toBe("");
    const out = join(base, "empty-out");
    expect(await extractDirectory(dst, out, { identities: [identity] })).toEqual({ entries: 0, bytes: 0 });
    expect(await readdir(out)).toEqual([]);
  });

  it("writes to a stream and extracts from a stream", async () => {
    const pass = new PassThrough();
    const parts: Buffer[] = [];
    pass.on("data", (c: Buffer) => parts.push(c));
    await encryptDirectory(src, pass, { passphrase: "correct horse", workFactor: 10 });
    const bytes = Buffer.concat(parts);
    const out = join(base, "from-stream");
    const input = new PassThrough();
    input.end(bytes);
    await extractDirectory(input, out, { passphrase: "correct horse" });
    expect(await listTree(out)).toEqual(await listTree(src));
  });

  it("leaves no file and no temp behind when the tree cannot be archived", async () => {
    const bad = join(base, "bad-src");
    await mkdir(bad);
    execFileSync("mkfifo", [join(bad, "fifo")]);
    const outDir = join(base, "bad-out");
    await mkdir(outDir);
    await expect(
      encryptDirectory(bad, join(outDir, "x.age"), { recipients: [recipient] }),
    ).rejects.toMatchObject({
      code: "ERR_ARCHIVE_SPECIAL_FILE",
    });
    expect(await readdir(outDir)).toEqual([]);
  });

  it("leaves the archive out of itself when it is written inside the tree", async () => {
    const tree = join(base, "self");
    await mkdir(tree);
    await writeFile(join(tree, "f"), "x".repeat(100_000));
    await encryptDirectory(tree, join(tree, "self.age"), { recipients: [recipient] });
    const again = await encryptDirectory(tree, join(tree, "self.age"), { recipients: [recipient] });
    expect(again).toEqual({ entries: 1, bytes: 100_000 });
    expect((await readdir(tree)).sort()).toEqual(["f", "self.age"]);
    const out = join(base, "self-out");
    await extractDirectory(join(tree, "self.age"), out, { identities: [identity] });
    expect(await readdir(out)).toEqual(["f"]);
  });

  it("refuses bad options before touching the disk", async () => {
    const outDir = join(base, "opt-out");
    await mkdir(outDir);
    await expect(encryptDirectory(src, join(outDir, "x.age"), {})).rejects.toMatchObject({
      code: "ERR_AGE_USAGE",
    });
    expect(await readdir(outDir)).toEqual([]);
    await expect(extractDirectory(join(base, "a.tar.age"), join(outDir, "x"), {})).rejects.toMatchObject({
      code: "ERR_AGE_USAGE",
    });
    expect(await readdir(outDir)).toEqual([]);
  });
});

describe("extractDirectory leaves the target untouched on failure", () => {
  let good: Buffer;
  beforeAll(async () => {
    const dst = join(base, "good.age");
    await encryptDirectory(src, dst, { recipients: [recipient] });
    good = await readFile(dst);
  });

  async function attempt(
    name: string,
    bytes: Uint8Array,
    code: string,
    o: Partial<Parameters<typeof extractDirectory>[2]> = {},
  ) {
    const file = join(base, `${name}.age`);
    await writeFile(file, bytes);
    const parent = join(base, `p-${name}`);
    await mkdir(parent);
    const out = join(parent, "out");
    const err = await extractDirectory(file, out, { identities: [identity], ...o }).catch((e) => e);
    expect(err).toBeInstanceOf(AgeError);
    expect(err.code).toBe(code);
    expect(await readdir(parent)).toEqual([]);
  }

  it("truncated at a chunk boundary", () =>
    attempt(
      "cut-boundary",
      good.subarray(0, good.length - ((good.length - 300) % 65552)),
      "ERR_AGE_PAYLOAD",
    ));
  it("truncated mid-chunk", () => attempt("cut-mid", good.subarray(0, good.length - 100), "ERR_AGE_PAYLOAD"));
  it("the final chunk dropped", async () => {
    // Everything up to the start of the last sealed chunk: the one before is not final.
    const header = good.indexOf("\n---") + 1;
    const headerEnd = good.indexOf(0x0a, header) + 1;
    const chunks = Math.ceil((good.length - headerEnd - 16) / 65552);
    await attempt("no-final", good.subarray(0, headerEnd + 16 + (chunks - 1) * 65552), "ERR_AGE_PAYLOAD");
  });
  it("a tampered byte in the last chunk", async () => {
    const t = Buffer.from(good);
    t[t.length - 5] = (t[t.length - 5] as number) ^ 1;
    await attempt("tampered", t, "ERR_AGE_PAYLOAD");
  });
  it("trailing garbage", () =>
    attempt("trailing", Buffer.concat([good, Buffer.from("xx")]), "ERR_AGE_PAYLOAD"));
  it("the wrong key", async () =>
    attempt("wrong-key", good, "ERR_AGE_NO_MATCH", { identities: [await generateIdentity()] }));
  it("a cap is hit", () => attempt("cap", good, "ERR_ARCHIVE_TOO_MANY_ENTRIES", { maxEntries: 3 }));

  it("an existing empty target stays empty and is kept", async () => {
    const t = Buffer.from(good);
    t[t.length - 5] = (t[t.length - 5] as number) ^ 1;
    await writeFile(join(base, "t2.age"), t);
    const out = join(base, "empty-target");
    await mkdir(out);
    await expect(
      extractDirectory(join(base, "t2.age"), out, { identities: [identity] }),
    ).rejects.toMatchObject({ code: "ERR_AGE_PAYLOAD" });
    expect(await readdir(out)).toEqual([]);
  });

  it("a missing source is ERR_AGE_IO with ENOENT", async () => {
    const parent = join(base, "p-missing");
    await mkdir(parent);
    const err = await extractDirectory(join(base, "nope.age"), join(parent, "out"), {
      identities: [identity],
    }).catch((e) => e);
    expect(err.code).toBe("ERR_AGE_IO");
    expect(err.errno).toBe("ENOENT");
    expect(await readdir(parent)).toEqual([]);
  });
});

describe("abort and progress", () => {
  it("an aborted signal stops both directions with ERR_AGE_ABORTED and leaves nothing", async () => {
    const parent = join(base, "p-abort");
    await mkdir(parent);
    const signal = AbortSignal.abort();
    await expect(
      encryptDirectory(src, join(parent, "x.age"), { recipients: [recipient], signal }),
    ).rejects.toMatchObject({
      code: "ERR_AGE_ABORTED",
    });
    await expect(
      extractDirectory(join(base, "a.tar.age"), join(parent, "out"), { identities: [identity], signal }),
    ).rejects.toMatchObject({
      code: "ERR_AGE_ABORTED",
    });
    expect(await readdir(parent)).toEqual([]);
  });

  it("aborting mid-extraction leaves the target absent", async () => {
    const parent = join(base, "p-abort-mid");
    await mkdir(parent);
    const ac = new AbortController();
    const err = await extractDirectory(join(base, "a.tar.age"), join(parent, "out"), {
      identities: [identity],
      signal: ac.signal,
      onProgress: () => ac.abort(),
    }).catch((e) => e);
    expect(err.code).toBe("ERR_AGE_ABORTED");
    expect(await readdir(parent)).toEqual([]);
  });

  it("encryption reports file bytes archived, the measure extraction uses", async () => {
    const seen: number[] = [];
    await encryptDirectory(src, join(base, "progress.age"), {
      recipients: [recipient],
      onProgress: (p) => seen.push(p.bytes),
    });
    expect(seen.at(-1)).toBe(10 + BIG + 7);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it("aborting mid-encryption leaves no archive and no temp file", async () => {
    const parent = join(base, "p-abort-enc");
    await mkdir(parent);
    const ac = new AbortController();
    const err = await encryptDirectory(src, join(parent, "x.age"), {
      recipients: [recipient],
      signal: ac.signal,
      onProgress: () => ac.abort(),
    }).catch((e) => e);
    expect(err.code).toBe("ERR_AGE_ABORTED");
    expect(await readdir(parent)).toEqual([]);
  });

  it("extraction reports file bytes written", async () => {
    const seen: number[] = [];
    await extractDirectory(join(base, "a.tar.age"), join(base, "progress-out"), {
      identities: [identity],
      onProgress: (p) => seen.push(p.bytes),
    });
    expect(seen.at(-1)).toBe(10 + BIG + 7);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe("interop: tar made by GNU tar and encrypted by the age CLI", () => {
  withAge("extracts `tar -c | age -e`", async () => {
    const r = spawnSync("sh", [
      "-c",
      `tar -c -C '${src}' . | ${AGE} -e -r ${recipient} > '${join(base, "cli.age")}'`,
    ]);
    expect(r.status).toBe(0);
    const out = join(base, "cli-out");
    await extractDirectory(join(base, "cli.age"), out, { identities: [identity] });
    expect(await listTree(out)).toEqual(await listTree(src));
  });
});
