import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bech32 } from "@scure/base";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeDecryptor,
  AgeEncryptor,
  type AgeError,
  ciphertextSize,
  createDecryptStream,
  createEncryptStream,
  type DecryptOptions,
  decrypt,
  decryptFile,
  decryptNodeStream,
  type EncryptOptions,
  encrypt,
  encryptFile,
  encryptNodeStream,
  generateHybridIdentity,
  identityToRecipient,
  plaintextSize,
} from "../src/index.js";
import { IDENTITY, RECIPIENT } from "./fixture.js";
import { BACKENDS, bytes, concat, expectBytes, expectCode } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "age-api-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(rs: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of rs as unknown as AsyncIterable<Uint8Array>) parts.push(c);
  return concat(parts);
}

function source(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of pieces) c.enqueue(p);
      c.close();
    },
  });
}

describe.each(BACKENDS)("public API (%s backend)", (backend) => {
  const enc: EncryptOptions = { recipients: [RECIPIENT], backend };
  const dec: DecryptOptions = { identities: [IDENTITY], backend };

  it("one-shot bytes round trip, with exact ciphertext size", async () => {
    for (const n of [0, 1, 65536, 65537]) {
      const ct = await encrypt(bytes(n), enc);
      const headerBytes = ct.length - ciphertextSize(n, 0);
      expect(headerBytes).toBeGreaterThan(100);
      expect(plaintextSize(ct.length - headerBytes)).toBe(n);
      expectBytes(await decrypt(ct, dec), bytes(n));
    }
  });

  it("encrypts to several recipients, any of which decrypts", async () => {
    const pq = await generateHybridIdentity();
    const ct = await encrypt(bytes(10), { ...enc, recipients: [RECIPIENT, await identityToRecipient(pq)] });
    expectBytes(await decrypt(ct, dec), bytes(10));
    expectBytes(await decrypt(ct, { identities: [pq], backend }), bytes(10));
  });

  it("Web Streams: encrypt and decrypt through TransformStreams with odd splits", async () => {
    const plain = bytes(200_000, 3);
    const pieces = [plain.subarray(0, 1), plain.subarray(1, 70_000), plain.subarray(70_000)];
    const ct = await readAll(source(pieces).pipeThrough(createEncryptStream(enc)));
    const back = await readAll(
      source([ct.subarray(0, 5), ct.subarray(5, 100_000), ct.subarray(100_000)]).pipeThrough(
        createDecryptStream(dec),
      ),
    );
    expectBytes(back, plain);
  });

  it("Web Streams: a failing decrypt errors the stream after only authenticated chunks", async () => {
    const plain = bytes(150_000, 4);
    const ct = await encrypt(plain, enc);
    const cut = ct.subarray(0, ct.length - 10);
    const got: Uint8Array[] = [];
    const rs = source([cut]).pipeThrough(createDecryptStream(dec));
    let err: unknown;
    try {
      for await (const c of rs as unknown as AsyncIterable<Uint8Array>) got.push(c);
    } catch (e) {
      err = e;
    }
    expect((err as AgeError).code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(concat(got), plain.subarray(0, 131072));
  });

  it("Node streams: pipeline round trip", async () => {
    const plain = bytes(300_000, 5);
    const out: Buffer[] = [];
    await pipeline(
      Readable.from([Buffer.from(plain.subarray(0, 1000)), Buffer.from(plain.subarray(1000))]),
      encryptNodeStream({ ...enc, armor: true }),
      decryptNodeStream(dec),
      new Writable({
        write(c, _e, cb) {
          out.push(c);
          cb();
        },
      }),
    );
    expectBytes(Buffer.concat(out), plain);
  });

  it("Node streams: a wrong key surfaces as an AgeError on the pipeline", async () => {
    const ct = await encrypt(bytes(10), enc);
    const other = await generateHybridIdentity();
    await expect(
      pipeline(
        Readable.from([Buffer.from(ct)]),
        decryptNodeStream({ identities: [other], backend }),
        new Writable({ write: (_c, _e, cb) => cb() }),
      ),
    ).rejects.toMatchObject({ code: "ERR_AGE_NO_MATCH" });
  });

  it("files: round trip, with progress reports that end at the total", async () => {
    const src = join(dir, `plain-${backend}`);
    const mid = join(dir, `mid-${backend}.age`);
    const dst = join(dir, `back-${backend}`);
    const plain = bytes(3 * 1024 * 1024 + 5, 8);
    writeFileSync(src, plain);
    const seen: { bytes: number; total?: number }[] = [];
    await encryptFile(src, mid, { ...enc, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ bytes: plain.length, total: plain.length });
    for (let i = 1; i < seen.length; i++)
      expect((seen[i] as { bytes: number }).bytes).toBeGreaterThanOrEqual(
        (seen[i - 1] as { bytes: number }).bytes,
      );
    const dseen: number[] = [];
    await decryptFile(mid, dst, { ...dec, onProgress: (p) => dseen.push(p.bytes) });
    expect(dseen.at(-1)).toBe(plain.length);
    expect(statSync(mid).mode & 0o777).toBe(0o600);
    expect(statSync(dst).mode & 0o777).toBe(0o600);
    expectBytes(readFileSync(dst), plain);
  });

  it("files: mode sets the created file's permission bits (the umask applies); bad ones are ERR_AGE_USAGE", async () => {
    const src = join(dir, `mode-${backend}`);
    writeFileSync(src, "m");
    const old = process.umask(0o022);
    try {
      await encryptFile(src, `${src}.age`, { ...enc, mode: 0o666 });
      expect(statSync(`${src}.age`).mode & 0o777).toBe(0o644);
      await decryptFile(`${src}.age`, `${src}.out`, { ...dec, mode: 0o640 });
      expect(statSync(`${src}.out`).mode & 0o777).toBe(0o640);
      expect(readFileSync(`${src}.out`, "utf8")).toBe("m");
    } finally {
      process.umask(old);
    }
    for (const mode of [-1, 0o1000, 1.5, Number.NaN]) {
      await expectCode(() => encryptFile(src, `${src}.bad`, { ...enc, mode }), "ERR_AGE_USAGE");
    }
    expect(existsSync(`${src}.bad`)).toBe(false);
  });

  it("files: a failed decrypt leaves the destination untouched and no temp file", async () => {
    const sub = mkdtempSync(join(dir, "atomic-"));
    const mid = join(sub, "x.age");
    const dst = join(sub, "out");
    writeFileSync(mid, (await encrypt(bytes(200_000), enc)).subarray(0, 150_000));
    writeFileSync(dst, "previous contents");
    await expectCode(() => decryptFile(mid, dst, dec), "ERR_AGE_PAYLOAD");
    expect(readFileSync(dst, "utf8")).toBe("previous contents");
    expect(readdirSync(sub).sort()).toEqual(["out", "x.age"]);
    const missingDst = join(sub, "never");
    await expectCode(() => decryptFile(mid, missingDst, dec), "ERR_AGE_PAYLOAD");
    expect(existsSync(missingDst)).toBe(false);
  });

  it("files: errno is kept for a missing source and a missing directory", async () => {
    const e = await expectCode(() => encryptFile(join(dir, "nope"), join(dir, "x"), enc), "ERR_AGE_IO");
    expect(e.errno).toBe("ENOENT");
    expect(e.path).toBe(join(dir, "nope"));
    expect(e.syscall).toBeDefined();
    const src = join(dir, `s-${backend}`);
    writeFileSync(src, "x");
    const e2 = await expectCode(() => encryptFile(src, join(dir, "no", "such", "dir"), enc), "ERR_AGE_IO");
    expect(e2.errno).toBe("ENOENT");
  });

  it("abort: a pre-aborted signal fails every flavour with ERR_AGE_ABORTED", async () => {
    const signal = AbortSignal.abort();
    await expectCode(() => encrypt(bytes(10), { ...enc, signal }), "ERR_AGE_ABORTED");
    const ct = await encrypt(bytes(10), enc);
    await expectCode(() => decrypt(ct, { ...dec, signal }), "ERR_AGE_ABORTED");
    const src = join(dir, `abort-${backend}`);
    writeFileSync(src, bytes(10));
    await expectCode(() => encryptFile(src, `${src}.age`, { ...enc, signal }), "ERR_AGE_ABORTED");
    expect(existsSync(`${src}.age`)).toBe(false);
    await expect(
      readAll(source([bytes(10)]).pipeThrough(createEncryptStream({ ...enc, signal }))),
    ).rejects.toMatchObject({
      code: "ERR_AGE_ABORTED",
    });
    await expect(
      pipeline(
        Readable.from([Buffer.from(bytes(10))]),
        encryptNodeStream({ ...enc, signal }),
        new Writable({ write: (_c, _e, cb) => cb() }),
      ),
    ).rejects.toMatchObject({ code: "ERR_AGE_ABORTED" });
  });

  it("abort: aborting mid-stream stops a Node decrypt", async () => {
    const ac = new AbortController();
    const ct = await encrypt(bytes(500_000), enc);
    let n = 0;
    await expect(
      pipeline(
        Readable.from([Buffer.from(ct.subarray(0, 200_000)), Buffer.from(ct.subarray(200_000))]),
        decryptNodeStream({ ...dec, signal: ac.signal }),
        new Writable({
          write(c, _e, cb) {
            n += c.length;
            ac.abort();
            cb();
          },
        }),
      ),
    ).rejects.toMatchObject({ code: "ERR_AGE_ABORTED" });
    expect(n).toBeLessThan(500_000);
  });

  it("AgeEncryptor / AgeDecryptor implement the @dms/types interfaces", async () => {
    const e = new AgeEncryptor(enc);
    const d = new AgeDecryptor(dec);
    expectBytes(await d.decrypt(await e.encrypt(bytes(99))), bytes(99));
    const rs = source([bytes(70_000)])
      .pipeThrough(e.encryptStream())
      .pipeThrough(d.decryptStream());
    expectBytes(await readAll(rs), bytes(70_000));
  });

  it.each([
    ["no recipients or passphrase", {}],
    ["empty recipients", { recipients: [] }],
    ["recipients and passphrase", { recipients: [RECIPIENT], passphrase: "x" }],
    ["empty passphrase", { passphrase: "" }],
    ["work factor 23", { passphrase: "x", workFactor: 23 }],
    ["work factor 0", { passphrase: "x", workFactor: 0 }],
  ])("encrypt refuses %s with ERR_AGE_USAGE", async (_n, o) => {
    await expectCode(() => encrypt(bytes(1), { ...o, backend }), "ERR_AGE_USAGE");
  });

  it("decrypt refuses missing keys (ERR_AGE_USAGE) and a bad identity (ERR_AGE_KEY)", async () => {
    const ct = await encrypt(bytes(1), enc);
    await expectCode(() => decrypt(ct, { backend }), "ERR_AGE_USAGE");
    await expectCode(() => decrypt(ct, { identities: ["AGE-SECRET-KEY-1NOPE"], backend }), "ERR_AGE_KEY");
    await expectCode(() => encrypt(bytes(1), { recipients: ["age1nope"], backend }), "ERR_AGE_KEY");
    // A low-order (here all-zero) X25519 recipient would make the wrap key public.
    const lowOrder = bech32.encode("age", bech32.toWords(new Uint8Array(32)), false);
    await expectCode(() => encrypt(bytes(1), { recipients: [lowOrder], backend }), "ERR_AGE_KEY");
    // Stream factories validate synchronously.
    await expectCode(() => createEncryptStream({ backend }), "ERR_AGE_USAGE");
    await expectCode(() => decryptNodeStream({ backend }), "ERR_AGE_USAGE");
    // A string is UTF-8 text now (as typage takes it); anything else is still a TypeError.
    await expect(encrypt(42 as unknown as Uint8Array, enc)).rejects.toBeInstanceOf(TypeError);
  });
});
