// The two-thread descriptor engine (src/workers/duo.ts, chosen by src/fs/fd-duo.ts): the bytes
// it writes are those of the one-thread engine, it releases on a failure exactly the plaintext the
// one-thread engine releases, with the same error, and it stops on an abort or a failed write. The
// threshold is lowered so that small files take it; `duoStats` proves they did.
import { readSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeError } from "../src/errors.js";
import { decryptFd, encryptFd } from "../src/fs/fd.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from "../src/stream/chunk.js";
import { duoStats } from "../src/workers/duo-main.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";
import { betweenFiles, bytes, concat } from "./helpers.js";

const BATCH = 16 * CHUNK_SIZE;
let dir: string;
let identity: string;
let recipient: string;
beforeAll(async () => {
  dir = await tempDir("dms-duo-");
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  process.env.DMS_CRYPTO_DUO_MIN = "1";
});
afterAll(() => {
  delete process.env.DMS_CRYPTO_DUO_MIN;
  delete process.env.DMS_CRYPTO_DUO;
  return cleanup(dir);
});

const between = (src: Uint8Array, fn: (i: number, o: number) => Promise<void>, outPath?: string) =>
  betweenFiles(dir, src, fn, outPath);

/** `between` with two threads, then with one (DMS_CRYPTO_DUO=0), checking which ran. */
async function bothWays(src: Uint8Array, fn: (i: number, o: number) => Promise<void>) {
  const before = duoStats.runs;
  const two = await between(src, fn);
  const ran = duoStats.runs - before;
  process.env.DMS_CRYPTO_DUO = "0";
  try {
    const one = await between(src, fn);
    expect(duoStats.runs - before).toBe(ran);
    return { two, one, ran };
  } finally {
    delete process.env.DMS_CRYPTO_DUO;
  }
}

const same = (a: Uint8Array, b: Uint8Array) =>
  expect(Buffer.compare(a, b), `${a.length} vs ${b.length} bytes`).toBe(0);

const codeOf = (e: unknown) => (e instanceof AgeError ? `${e.code}: ${e.message}` : String(e));

describe("two threads", () => {
  it.each([1, CHUNK_SIZE, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + CHUNK_SIZE, 7 * BATCH + 12345])(
    "round trip of %i bytes, both engines reading each other's files",
    async (n) => {
      const plain = bytes(n, n + 11);
      const { two, one, ran } = await bothWays(plain, (i, o) =>
        encryptFd(i, o, { recipients: [recipient] }, n),
      );
      expect(ran).toBe(1);
      expect(two.err).toBeUndefined();
      // Same layout: only the file key, stanza and nonce differ, which are random.
      expect(two.out.length).toBe(one.out.length);
      same(await decrypt(two.out, { identities: [identity] }), plain);
      for (const ct of [two.out, one.out]) {
        const back = await bothWays(ct, (i, o) => decryptFd(i, o, { identities: [identity] }));
        expect(back.ran).toBe(1);
        expect(back.two.err).toBeUndefined();
        same(back.two.out, plain);
      }
    },
  );

  it("starts at the descriptor's offset, not at the start of the file", async () => {
    const prefix = bytes(1000, 5);
    const plain = bytes(2 * BATCH + 99, 6);
    const enc = await between(concat([prefix, plain]), (i, o) => {
      readSync(i, new Uint8Array(prefix.length), 0, prefix.length, null);
      return encryptFd(i, o, { recipients: [recipient] });
    });
    expect(enc.err).toBeUndefined();
    same(await decrypt(enc.out, { identities: [identity] }), plain);
  });

  // Each case damages a 5-batch file; both engines must write the same prefix and fail the same way.
  const n = 5 * BATCH + 777;
  const chunks = Math.ceil(n / CHUNK_SIZE);
  const damages: [string, (ct: Uint8Array, payload: number) => Uint8Array][] = [
    ["a flipped byte in the first chunk", (ct, p) => flip(ct, p + 10)],
    ["a flipped byte in the last chunk of batch 2", (ct, p) => flip(ct, p + 3 * 16 * SEALED_CHUNK_SIZE - 5)],
    ["a flipped byte in the final chunk", (ct) => flip(ct, ct.length - 3)],
    ["the final chunk cut off", (ct, p) => ct.subarray(0, p + (chunks - 1) * SEALED_CHUNK_SIZE)],
    ["the file cut mid-chunk", (ct, p) => ct.subarray(0, p + 40 * SEALED_CHUNK_SIZE + 100)],
    ["data after the final chunk", (ct) => concat([ct, bytes(SEALED_CHUNK_SIZE, 3)])],
    ["a few bytes after the final chunk", (ct) => concat([ct, Uint8Array.of(1, 2, 3)])],
  ];
  it.each(damages)("%s: the same prefix and error as one thread", async (_name, damage) => {
    const plain = bytes(n, 21);
    const ct = await encrypt(plain, { recipients: [recipient] });
    const payload = ct.length - (chunks - 1) * SEALED_CHUNK_SIZE - (n - (chunks - 1) * CHUNK_SIZE + 16);
    const bad = damage(ct.slice(), payload);
    const { two, one, ran } = await bothWays(bad, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect(ran).toBe(1);
    expect(codeOf(two.err)).toMatch(/^ERR_AGE_PAYLOAD/);
    expect(codeOf(two.err)).toBe(codeOf(one.err));
    same(two.out, one.out);
    same(two.out, plain.subarray(0, two.out.length));
  });

  it("a wrong key or an armored file behave as with one thread", async () => {
    const plain = bytes(3 * BATCH, 8);
    const other = await generateIdentity();
    const ct = await encrypt(plain, { recipients: [recipient] });
    const wrong = await bothWays(ct, (i, o) => decryptFd(i, o, { identities: [other] }));
    expect(codeOf(wrong.two.err)).toMatch(/^ERR_AGE_NO_MATCH/);
    expect(codeOf(wrong.two.err)).toBe(codeOf(wrong.one.err));
    expect(wrong.two.out.length).toBe(0);
    const armored = await encrypt(plain, { recipients: [recipient], armor: true });
    const before = duoStats.runs;
    const dec = await between(armored, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect(dec.err).toBeUndefined();
    same(dec.out, plain);
    expect(duoStats.runs).toBe(before); // armor has no fixed offsets: one thread
  });

  it("reports progress up to the total, and stops on an abort with ERR_AGE_ABORTED", async () => {
    const plain = bytes(12 * BATCH, 9);
    const seen: number[] = [];
    const enc = await between(plain, (i, o) =>
      encryptFd(i, o, { recipients: [recipient], onProgress: (p) => seen.push(p.bytes) }, plain.length),
    );
    expect(enc.err).toBeUndefined();
    expect(seen.at(-1)).toBe(plain.length);
    expect(seen.every((b, k) => k === 0 || b >= (seen[k - 1] as number))).toBe(true);
    const ac = new AbortController();
    const cut = await between(enc.out, (i, o) =>
      decryptFd(i, o, {
        identities: [identity],
        signal: ac.signal,
        onProgress: (p) => {
          if (p.bytes >= 2 * BATCH) ac.abort();
        },
      }),
    );
    expect(codeOf(cut.err)).toMatch(/^ERR_AGE_ABORTED/);
    expect(cut.out.length).toBeLessThan(plain.length);
    same(cut.out, plain.subarray(0, cut.out.length));
  });

  it("a failed write stops both threads with its errno (ENOSPC on /dev/full)", async () => {
    const plain = bytes(4 * BATCH, 10);
    const r = await between(plain, (i, o) => encryptFd(i, o, { recipients: [recipient] }), "/dev/full");
    expect(r.err).toBeInstanceOf(AgeError);
    expect((r.err as AgeError).code).toBe("ERR_AGE_NO_SPACE");
    expect((r.err as AgeError).errno).toBe("ENOSPC");
  });
});

function flip(b: Uint8Array, i: number): Uint8Array {
  b[i] = (b[i] as number) ^ 1;
  return b;
}
