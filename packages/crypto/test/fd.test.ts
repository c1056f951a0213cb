// The descriptor engine of the dms command: synchronous 1 MiB reads, the session's chunk engine,
// vectored writes. Same bytes and the same failure rules as every other path.
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openOutput } from "@dms/fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeError } from "../src/errors.js";
import { decryptFd, encryptFd, encryptToChunks } from "../src/fs/fd.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";
import { betweenFiles, bytes } from "./helpers.js";

let dir: string;
let identity: string;
let recipient: string;
beforeAll(async () => {
  dir = await tempDir("dms-fd-");
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => cleanup(dir));

const between = (src: Uint8Array, fn: (i: number, o: number) => Promise<void>, outPath?: string) =>
  betweenFiles(dir, src, fn, outPath);

/** Byte equality without a deep comparison of millions of elements. */
const same = (a: Uint8Array, b: Uint8Array) =>
  expect(Buffer.compare(a, b), `${a.length} vs ${b.length} bytes`).toBe(0);

describe("encryptFd / decryptFd", () => {
  it.each([0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 7])("round trip of %i bytes", async (n) => {
    const plain = bytes(n, n + 3);
    const enc = await between(plain, (i, o) => encryptFd(i, o, { recipients: [recipient] }, n));
    expect(enc.err).toBeUndefined();
    same(await decrypt(enc.out, { identities: [identity] }), plain);
    const dec = await between(enc.out, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect(dec.err).toBeUndefined();
    same(dec.out, plain);
  });

  it("writes to an @dms/fs output (4 MiB blocks, around the page cache) the same bytes", async () => {
    const n = 9 * 1024 * 1024 + 5;
    const plain = bytes(n, 11);
    const ct = await encrypt(plain, { recipients: [recipient] });
    writeFileSync(join(dir, "sink-in"), ct);
    const i = openSync(join(dir, "sink-in"), "r");
    const out = await openOutput(join(dir, "sink-out"));
    try {
      await decryptFd(i, out, { identities: [identity] });
      await out.commit();
    } finally {
      closeSync(i);
    }
    same(readFileSync(join(dir, "sink-out")), plain);

    // A damaged last chunk: what authenticated before it reached the output, nothing after.
    const bad = ct.slice();
    bad[ct.length - 3] = (bad[ct.length - 3] as number) ^ 1;
    writeFileSync(join(dir, "sink-in"), bad);
    const j = openSync(join(dir, "sink-in"), "r");
    const written: Uint8Array[] = [];
    const sink = {
      writev: async (parts: readonly Uint8Array[]) => void written.push(...parts.map((p) => p.slice())),
    };
    await expect(decryptFd(j, sink, { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_PAYLOAD",
    });
    closeSync(j);
    same(Buffer.concat(written), plain.subarray(0, Math.floor(n / 65536) * 65536));
  });

  it("armors, and decrypts armored input", async () => {
    const plain = bytes(200_000, 9);
    const enc = await between(plain, (i, o) => encryptFd(i, o, { recipients: [recipient], armor: true }));
    expect(new TextDecoder().decode(enc.out.subarray(0, 34))).toBe("-----BEGIN AGE ENCRYPTED FILE-----");
    expect((await between(enc.out, (i, o) => decryptFd(i, o, { identities: [identity] }))).out).toEqual(
      plain,
    );
  });

  it("a truncated file writes only the chunks that authenticated, then fails", async () => {
    const plain = bytes(5 * 65536 + 100, 4);
    const ct = await encrypt(plain, { recipients: [recipient] });
    const r = await between(ct.subarray(0, ct.length - 50), (i, o) =>
      decryptFd(i, o, { identities: [identity] }),
    );
    expect(r.err).toBeInstanceOf(AgeError);
    expect((r.err as AgeError).code).toBe("ERR_AGE_PAYLOAD");
    same(r.out, plain.subarray(0, 5 * 65536));
  });

  it("a flipped bit in chunk 2 releases chunks 0 and 1 only", async () => {
    const plain = bytes(4 * 65536, 5);
    const ct = await encrypt(plain, { recipients: [recipient] });
    const bad = ct.slice();
    const at = ct.length - 2 * (65536 + 16) + 10; // inside the third of four chunks
    bad[at] = (bad[at] as number) ^ 1;
    const r = await between(bad, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect((r.err as AgeError).code).toBe("ERR_AGE_PAYLOAD");
    same(r.out, plain.subarray(0, 2 * 65536));
  });

  it("reports progress against the total, and honours an AbortSignal", async () => {
    const plain = bytes(3 * 1024 * 1024, 6);
    const seen: number[] = [];
    await between(plain, (i, o) =>
      encryptFd(i, o, { recipients: [recipient], onProgress: (p) => seen.push(p.bytes) }, plain.length),
    );
    expect(seen.at(-1)).toBe(plain.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const ac = new AbortController();
    ac.abort();
    const r = await between(plain, (i, o) => encryptFd(i, o, { recipients: [recipient], signal: ac.signal }));
    expect((r.err as AgeError).code).toBe("ERR_AGE_ABORTED");
  });

  it("encryptToChunks yields the same kind of file as pieces, for a writer that is not a descriptor", async () => {
    const plain = bytes(3 * 1024 * 1024 + 77);
    const inPath = join(dir, "chunks-in");
    writeFileSync(inPath, plain);
    const fd = openSync(inPath, "r");
    const pieces: Uint8Array[] = [];
    let batches = 0;
    try {
      for await (const batch of encryptToChunks(fd, { recipients: [recipient] }, plain.length)) {
        batches++;
        pieces.push(...batch.map((p) => p.slice()));
      }
    } finally {
      closeSync(fd);
    }
    // header, one batch per 1 MiB read (4 reads), final chunk
    expect(batches).toBe(6);
    const file = Buffer.concat(pieces);
    same(await decrypt(file, { identities: [identity] }), plain);
  });
});
