import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBackend } from "../src/backend/select.js";
import { AgeError } from "../src/errors.js";
import { writeHeader } from "../src/format/header.js";
import { DecryptSession } from "../src/session/decrypt.js";
import { EncryptSession } from "../src/session/encrypt.js";
import {
  CHUNK_SIZE,
  chunkNonce,
  derivePayloadKey,
  NONCE_SIZE,
  openChunk,
  SEALED_CHUNK_SIZE,
  sealChunk,
} from "../src/stream/chunk.js";
import { ChunkOpener, ChunkSealer } from "../src/stream/incremental.js";
import { ciphertextSize, plaintextSize } from "../src/stream/size.js";
import { FILE_KEY, IDENTITY, NONCE, payload, RECIPIENT, x25519Stanza } from "./fixture.js";
import { BACKENDS, bytes, concat, expectBytes, expectCode, u8 } from "./helpers.js";

/** Splits `data` at the given cut points (sorted, deduplicated, clamped). */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, data.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  out.push(data.subarray(prev));
  return out;
}

/** Decrypts pieces with a session; returns what was released and the error code, if any. */
async function run(pieces: Uint8Array[], backend: "native" | "portable") {
  const s = new DecryptSession({ identities: [IDENTITY], backend });
  const out: Uint8Array[] = [];
  let code: string | null = null;
  try {
    for (const p of pieces) await s.push(p, out);
    await s.finish(out);
  } catch (e) {
    if (!(e instanceof AgeError)) throw e;
    code = e.code;
  }
  return { released: concat(out), code };
}

describe("chunk nonce", () => {
  it("is an 11-byte big-endian counter and a final flag, carrying past 255 and 65535", () => {
    expect([...chunkNonce(0, false)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...chunkNonce(1, true)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect([...chunkNonce(256, false)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...chunkNonce(65536, false)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect([...chunkNonce(2 ** 40 + 5, true)]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 1]);
    expect(() => chunkNonce(-1, false)).toThrow(RangeError);
  });
});

describe("size arithmetic", () => {
  it.each([
    [0, 16],
    [1, 17],
    [CHUNK_SIZE - 1, CHUNK_SIZE + 15],
    [CHUNK_SIZE, SEALED_CHUNK_SIZE],
    [CHUNK_SIZE + 1, SEALED_CHUNK_SIZE + 17],
    [2 * CHUNK_SIZE, 2 * SEALED_CHUNK_SIZE],
  ])("plaintext %i seals to %i payload bytes after the nonce, and back", (plain, sealed) => {
    expect(ciphertextSize(plain, 100)).toBe(100 + NONCE_SIZE + sealed);
    expect(plaintextSize(NONCE_SIZE + sealed)).toBe(plain);
  });

  it.each([0, 15, 16, 16 + 15, 16 + SEALED_CHUNK_SIZE + 16, 16 + SEALED_CHUNK_SIZE + 5])(
    "refuses impossible payload length %i",
    async (n) => {
      await expectCode(() => plaintextSize(n), "ERR_AGE_PAYLOAD");
    },
  );

  it("refuses negative and fractional sizes with RangeError", () => {
    expect(() => ciphertextSize(-1, 0)).toThrow(RangeError);
    expect(() => plaintextSize(1.5)).toThrow(RangeError);
  });
});

describe.each(BACKENDS)("STREAM engine (%s backend)", (name) => {
  const b = getBackend(name);
  const key = derivePayloadKey(b, FILE_KEY, NONCE);

  it("produces the same bytes as the other backend", () => {
    const other = getBackend(name === "native" ? "portable" : "native");
    const plain = bytes(CHUNK_SIZE * 2 + 3, 7);
    expectBytes(payload(b, plain), u8(payload(other, plain)));
    const stanza = x25519Stanza(b);
    expectBytes(writeHeader(b, FILE_KEY, [stanza]), u8(writeHeader(other, FILE_KEY, [stanza])));
    expect(u8(sealChunk(b, key, 3, true, plain.subarray(0, 10)))).toEqual(
      u8(sealChunk(other, key, 3, true, plain.subarray(0, 10))),
    );
  });

  it("seals a 64 KiB file as exactly one full final chunk, and the empty file as one empty chunk", () => {
    const s = new ChunkSealer(b, key);
    expect(s.push(bytes(CHUNK_SIZE))).toEqual([]);
    const last = concat(s.finish());
    expect(last.length).toBe(SEALED_CHUNK_SIZE);
    expectBytes(openChunk(b, key, 0, true, last), bytes(CHUNK_SIZE));
    const e = new ChunkSealer(b, key);
    expect(concat(e.finish()).length).toBe(16);
  });

  it("refuses illegal chunk sizes and an empty final chunk after data", async () => {
    expect(() => sealChunk(b, key, 0, false, bytes(10))).toThrow(RangeError);
    expect(() => sealChunk(b, key, 1, true, new Uint8Array(0))).toThrow(RangeError);
    const empty = b.seal(key, chunkNonce(1, true), new Uint8Array(0));
    await expectCode(() => openChunk(b, key, 1, true, empty), "ERR_AGE_PAYLOAD");
    await expectCode(() => openChunk(b, key, 0, false, bytes(100)), "ERR_AGE_PAYLOAD");
    await expectCode(() => openChunk(b, key, 0, true, bytes(10)), "ERR_AGE_PAYLOAD");
  });

  it("round-trips random sizes through random input and output chunkings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * CHUNK_SIZE + 10 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (size, encCuts, decCuts, armor) => {
          const plain = bytes(size, size + 1);
          const enc = new EncryptSession({ recipients: [RECIPIENT], backend: name, armor });
          const parts = await enc.start();
          for (const piece of split(
            plain,
            encCuts.map((c) => c % (size + 1)),
          ))
            parts.push(...(await enc.push(piece)));
          parts.push(...(await enc.finish()));
          const ct = concat(parts);
          if (!armor) {
            const headerLen = ct.length - ciphertextSize(size, 0);
            expect(ct.length).toBe(ciphertextSize(size, headerLen));
            expect(plaintextSize(ct.length - headerLen)).toBe(size);
          }
          const { released, code } = await run(
            split(
              ct,
              decCuts.map((c) => c % (ct.length + 1)),
            ),
            name,
          );
          expect(code).toBeNull();
          expectBytes(released, plain);
        },
      ),
      { numRuns: name === "native" ? 25 : 10 },
    );
  }, 60_000);

  it("carries the chunk counter past 255 (257 chunks end to end) and past 65535 (chunk level)", () => {
    const plain = bytes(256 * CHUNK_SIZE + 5, 13);
    const sealer = new ChunkSealer(b, key);
    const sealed = concat([...sealer.push(plain), ...sealer.finish()]);
    expect(sealed.length).toBe(256 * SEALED_CHUNK_SIZE + 5 + 16);
    const opener = new ChunkOpener(b, key);
    const out = opener.push(sealed);
    out.push(opener.finish());
    expectBytes(concat(out), plain);
    // Chunk 256 opens only under counter 256, not under 0 (the low byte alone).
    const c256 = sealed.subarray(256 * SEALED_CHUNK_SIZE);
    expectBytes(openChunk(b, key, 256, true, c256), plain.subarray(256 * CHUNK_SIZE));
    expect(() => openChunk(b, key, 0, true, c256)).toThrow(AgeError);
    const big = sealChunk(b, key, 65536, false, bytes(CHUNK_SIZE, 14));
    expectBytes(openChunk(b, key, 65536, false, big), bytes(CHUNK_SIZE, 14));
    expect(() => openChunk(b, key, 0, false, big)).toThrow(AgeError);
    expect(() => openChunk(b, key, 256, false, big)).toThrow(AgeError);
  });

  it("round-trips one byte at a time across a chunk boundary (engine level)", () => {
    const plain = bytes(CHUNK_SIZE + 3, 3);
    const s = new ChunkSealer(b, key);
    const sealed: Uint8Array[] = [];
    for (let i = 0; i < plain.length; i += 997) sealed.push(...s.push(plain.subarray(i, i + 997)));
    sealed.push(...s.finish());
    const all = concat(sealed);
    const o = new ChunkOpener(b, key);
    const out: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += 1009) o.push(all.subarray(i, i + 1009), out);
    out.push(o.finish());
    expectBytes(concat(out), plain);
  });
});

describe.each(BACKENDS)("STREAM tampering (%s backend)", (name) => {
  const b = getBackend(name);
  const key = derivePayloadKey(b, FILE_KEY, NONCE);
  const header = writeHeader(b, FILE_KEY, [x25519Stanza(b)]);
  const make = (plain: Uint8Array) => concat([header, payload(b, plain)]);
  const body = (f: Uint8Array) => f.subarray(header.length + NONCE_SIZE);
  const withBody = (chunks: Uint8Array[]) => concat([header, NONCE, ...chunks]);
  const three = bytes(2 * CHUNK_SIZE + 100, 11);
  const threeFile = make(three);
  const chunk = (i: number) => body(threeFile).subarray(i * SEALED_CHUNK_SIZE, (i + 1) * SEALED_CHUNK_SIZE);

  it("rejects every single-byte flip of a small file with the right code, releasing nothing", async () => {
    const f = make(bytes(100, 5));
    for (let i = 0; i < f.length; i++) {
      const bad = f.slice();
      bad[i] = (bad[i] as number) ^ 0x01;
      const { released, code } = await run([bad], name);
      if (i >= header.length) expect(code, `byte ${i}`).toBe("ERR_AGE_PAYLOAD");
      else
        expect(
          ["ERR_AGE_HEADER", "ERR_AGE_HMAC", "ERR_AGE_NO_MATCH", "ERR_AGE_ARMOR"],
          `byte ${i}`,
        ).toContain(code);
      expect(released.length).toBe(0);
    }
    // Hundreds of header decryptions: vitest's 5 s default was hit on a loaded 2-core machine.
  }, 60_000);

  it("rejects flips in the second chunk after releasing exactly the first", async () => {
    for (const off of [0, 1, 1000, SEALED_CHUNK_SIZE - 17, SEALED_CHUNK_SIZE - 1]) {
      const bad = threeFile.slice();
      const at = header.length + NONCE_SIZE + SEALED_CHUNK_SIZE + off;
      bad[at] = (bad[at] as number) ^ 0x80;
      const { released, code } = await run([bad], name);
      expect(code).toBe("ERR_AGE_PAYLOAD");
      expectBytes(released, three.subarray(0, CHUNK_SIZE));
    }
  });

  it("rejects truncation at and between chunk boundaries, releasing only whole authenticated chunks", async () => {
    const p = header.length + NONCE_SIZE;
    const cases: [number, string, number][] = [
      [header.length + 8, "ERR_AGE_HEADER", 0],
      [p, "ERR_AGE_PAYLOAD", 0],
      [p + 1, "ERR_AGE_PAYLOAD", 0],
      [p + SEALED_CHUNK_SIZE - 1, "ERR_AGE_PAYLOAD", 0],
      [p + SEALED_CHUNK_SIZE, "ERR_AGE_PAYLOAD", CHUNK_SIZE],
      [p + SEALED_CHUNK_SIZE + 1, "ERR_AGE_PAYLOAD", CHUNK_SIZE],
      [p + 2 * SEALED_CHUNK_SIZE, "ERR_AGE_PAYLOAD", 2 * CHUNK_SIZE],
      [threeFile.length - 1, "ERR_AGE_PAYLOAD", 2 * CHUNK_SIZE],
    ];
    for (const [len, want, releasedBytes] of cases) {
      const { released, code } = await run([threeFile.subarray(0, len)], name);
      expect(code, `length ${len}`).toBe(want);
      expectBytes(released, three.subarray(0, releasedBytes));
    }
  });

  it("rejects swapped and duplicated chunks", async () => {
    const last = body(threeFile).subarray(2 * SEALED_CHUNK_SIZE);
    const swapped = await run([withBody([chunk(1), chunk(0), last])], name);
    expect(swapped.code).toBe("ERR_AGE_PAYLOAD");
    expect(swapped.released.length).toBe(0);
    const dup = await run([withBody([chunk(0), chunk(0), chunk(1), last])], name);
    expect(dup.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(dup.released, three.subarray(0, CHUNK_SIZE));
  });

  it("rejects a chunk spliced from a file with the same file key but another nonce", async () => {
    const otherNonce = NONCE.map((x) => x ^ 0xff);
    const other = payload(b, three, FILE_KEY, otherNonce).subarray(NONCE_SIZE);
    const spliced = await run([withBody([chunk(0), other.subarray(SEALED_CHUNK_SIZE)])], name);
    expect(spliced.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(spliced.released, three.subarray(0, CHUNK_SIZE));
  });

  it("rejects final-flag flips in both directions", async () => {
    // The last chunk re-sealed as non-final: the stream ends without a final chunk.
    const lastAsNonFinal = b.seal(key, chunkNonce(2, false), three.subarray(2 * CHUNK_SIZE));
    const r1 = await run([withBody([chunk(0), chunk(1), lastAsNonFinal])], name);
    expect(r1.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(r1.released, three.subarray(0, 2 * CHUNK_SIZE));
    // A middle chunk re-sealed as final: data follows the final chunk.
    const midAsFinal = sealChunk(b, key, 1, true, three.subarray(CHUNK_SIZE, 2 * CHUNK_SIZE));
    const r2 = await run(
      [withBody([chunk(0), midAsFinal, body(threeFile).subarray(2 * SEALED_CHUNK_SIZE)])],
      name,
    );
    expect(r2.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(r2.released, three.subarray(0, 2 * CHUNK_SIZE));
    // A single full chunk sealed as non-final, then EOF.
    const full = bytes(CHUNK_SIZE, 2);
    const r3 = await run([withBody([sealChunk(b, key, 0, false, full)])], name);
    expect(r3.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(r3.released, full);
  });

  it("rejects an empty final chunk after full chunks", async () => {
    const full = bytes(CHUNK_SIZE, 4);
    const emptyFinal = b.seal(key, chunkNonce(1, true), new Uint8Array(0));
    const r = await run([withBody([sealChunk(b, key, 0, false, full), emptyFinal])], name);
    expect(r.code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(r.released, full);
  });

  it.each([1, 16, 1000, SEALED_CHUNK_SIZE])("rejects %i appended bytes", async (n) => {
    // What may be released: whole chunks that authenticated before the garbage, never more.
    const cases: [Uint8Array, Uint8Array][] = [
      [bytes(10), new Uint8Array(0)],
      [bytes(CHUNK_SIZE), bytes(CHUNK_SIZE)],
      [three, three.subarray(0, 2 * CHUNK_SIZE)],
    ];
    for (const [plain, expected] of cases) {
      const r = await run([concat([make(plain), bytes(n, 9)])], name);
      expect(r.code).toBe("ERR_AGE_PAYLOAD");
      expectBytes(r.released, expected);
    }
  });
});

describe.each(BACKENDS)("header fed a byte at a time (%s backend)", (name) => {
  const b = getBackend(name);
  const header = writeHeader(b, FILE_KEY, [x25519Stanza(b)]);
  const plain = bytes(1000, 21);
  const f = concat([header, payload(b, plain)]);

  it("decrypts, whichever byte the header and nonce end on", async () => {
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < header.length + 20; i++) pieces.push(f.subarray(i, i + 1));
    pieces.push(f.subarray(header.length + 20));
    const r = await run(pieces, name);
    expect(r.code).toBeNull();
    expectBytes(r.released, plain);
  });

  it("reports a malformed header, not a truncated one, when fed byte by byte", async () => {
    const bad = concat([new TextEncoder().encode("age-encryption.org/v1\n-> X25519  x\n"), f.subarray(22)]);
    const pieces = Array.from({ length: 60 }, (_, i) => bad.subarray(i, i + 1));
    const s = new DecryptSession({ identities: [IDENTITY], backend: name });
    const e = await expectCode(async () => {
      for (const p of pieces) await s.push(p);
      await s.finish();
    }, "ERR_AGE_HEADER");
    expect(e.message).toContain("argument");
  });
});
