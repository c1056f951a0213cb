import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobRangeSource, httpRangeSource, type RangeSource } from "../src/access/range.js";
import { openEncrypted } from "../src/fs/access.js";
import { generateHybridIdentity, generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { encrypt } from "../src/session/encrypt.js";
import { chunkSpan, payloadLayout } from "../src/stream/size.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";

const K = 65536;
const S = K + 16;
let identity: string;
let recipient: string;
let base: string;

function plain(n: number): Uint8Array {
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = (i * 31 + (i >>> 16)) & 0xff;
  return p;
}

beforeAll(async () => {
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  base = await tempDir("dms-range-");
});
afterAll(async () => {
  await cleanup(base);
});

async function sealed(n: number): Promise<{ pt: Uint8Array; ct: Uint8Array }> {
  const pt = plain(n);
  return { pt, ct: await encrypt(pt, { recipients: [recipient] }) };
}

function headerLength(ct: Uint8Array): number {
  const text = Buffer.from(ct).toString("latin1");
  return text.indexOf("\n", text.indexOf("\n---") + 1) + 1;
}

const open = (ct: Uint8Array) =>
  openEncrypted(blobRangeSource(new Blob([ct as Uint8Array<ArrayBuffer>])), { identities: [identity] });

describe("payloadLayout and chunkSpan (pure size arithmetic)", () => {
  const table: [number, { chunks: number; plaintextBytes: number } | string][] = [
    [0, "ERR_AGE_HEADER"],
    [15, "ERR_AGE_HEADER"],
    [16, "ERR_AGE_PAYLOAD"], // cut right after the nonce
    [31, "ERR_AGE_PAYLOAD"],
    [32, { chunks: 1, plaintextBytes: 0 }],
    [33, { chunks: 1, plaintextBytes: 1 }],
    [16 + S, { chunks: 1, plaintextBytes: K }],
    [16 + S + 16, "ERR_AGE_PAYLOAD"], // an empty final chunk after a full one
    [16 + S + 17, { chunks: 2, plaintextBytes: K + 1 }],
    [16 + 2 * S, { chunks: 2, plaintextBytes: 2 * K }],
  ];
  for (const [bytes, want] of table) {
    it(`${bytes} payload bytes → ${typeof want === "string" ? want : JSON.stringify(want)}`, () => {
      if (typeof want === "string")
        expect(() => payloadLayout(bytes)).toThrow(expect.objectContaining({ code: want }));
      else expect(payloadLayout(bytes)).toEqual(want);
    });
  }

  it("rejects negative and fractional sizes with RangeError", () => {
    expect(() => payloadLayout(-1)).toThrow(RangeError);
    expect(() => payloadLayout(1.5)).toThrow(RangeError);
  });

  it("chunkSpan covers exactly the chunks of the range", () => {
    expect(chunkSpan(0, 0, 10)).toBeNull();
    expect(chunkSpan(10, 5, 10)).toBeNull();
    expect(chunkSpan(0, 1, 10)).toEqual([0, 0]);
    expect(chunkSpan(K - 1, 2, 3 * K)).toEqual([0, 1]);
    expect(chunkSpan(K, K, 3 * K)).toEqual([1, 1]);
    expect(chunkSpan(2 * K, 10 * K, 2 * K + 5)).toEqual([2, 2]);
  });

  it("property: layout inverts the encryption size for every plaintext size", () => {
    fc.assert(
      fc.property(fc.nat({ max: 50 * K }), (n) => {
        const chunks = n === 0 ? 1 : Math.ceil(n / K);
        expect(payloadLayout(16 + n + 16 * chunks)).toEqual({ chunks, plaintextBytes: n });
      }),
    );
  });
});

describe("openEncrypted", () => {
  for (const n of [0, 1, K - 1, K, K + 1, 2 * K, 3 * K + 5]) {
    it(`reads every boundary of a ${n}-byte plaintext, opening at most ceil(N/64K)+1 chunks per read`, async () => {
      const { pt, ct } = await sealed(n);
      const f = await open(ct);
      expect(f.size).toBe(n);
      expect(f.headerBytes).toBe(headerLength(ct));
      expect(f.stats.chunksOpened).toBe(1); // the final chunk, authenticated first
      const offsets = [0, 1, K - 1, K, K + 1, 2 * K - 1, 2 * K, n - 1, n, n + 1].filter((o) => o >= 0);
      for (const off of offsets) {
        for (const len of [0, 1, 2, K, K + 1, 3 * K]) {
          const before = f.stats.chunksOpened;
          const got = await f.read(off, len);
          expect(
            Buffer.from(got).equals(Buffer.from(pt.subarray(Math.min(off, n), Math.min(off + len, n)))),
          ).toBe(true);
          expect(f.stats.chunksOpened - before).toBeLessThanOrEqual(Math.ceil(len / K) + 1);
        }
      }
      expect(Buffer.from(await f.read(0, n)).equals(Buffer.from(pt))).toBe(true);
      await f.close();
    });
  }

  it("property: any range equals the slice of the plaintext", async () => {
    const { pt, ct } = await sealed(4 * K + 123);
    const f = await open(ct);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 5 * K }), fc.nat({ max: 3 * K }), async (off, len) => {
        const got = await f.read(off, len);
        expect(
          Buffer.from(got).equals(
            Buffer.from(pt.subarray(Math.min(off, pt.length), Math.min(off + len, pt.length))),
          ),
        ).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("reads a tail without touching the chunks before it", async () => {
    const { pt, ct } = await sealed(10 * K + 7);
    const f = await open(ct);
    const before = f.stats.bytesRead;
    const tail = await f.read(pt.length - 5, 5);
    expect(Buffer.from(tail).equals(Buffer.from(pt.subarray(pt.length - 5)))).toBe(true);
    expect(f.stats.chunksOpened).toBe(1);
    expect(f.stats.bytesRead).toBe(before);
  });

  it("reads a header larger than the first 4 KiB read (post-quantum recipients)", async () => {
    const pqIds = await Promise.all([1, 2, 3, 4].map(() => generateHybridIdentity()));
    const pqRecipients = await Promise.all(pqIds.map((i) => identityToRecipient(i)));
    const pt = plain(K + 9);
    const ct = await encrypt(pt, { recipients: pqRecipients });
    expect(headerLength(ct)).toBeGreaterThan(4096);
    const f = await openEncrypted(blobRangeSource(new Blob([ct as Uint8Array<ArrayBuffer>])), {
      identities: [pqIds[3] as string],
    });
    expect(f.headerBytes).toBe(headerLength(ct));
    expect(Buffer.from(await f.read(K, 9)).equals(Buffer.from(pt.subarray(K)))).toBe(true);
  });

  it("opens from a path and closes the file", async () => {
    const { pt, ct } = await sealed(2 * K + 3);
    const p = join(base, "f.age");
    await writeFile(p, ct);
    const f = await openEncrypted(p, { identities: [identity] });
    expect(Buffer.from(await f.read(K - 1, 5)).equals(Buffer.from(pt.subarray(K - 1, K + 4)))).toBe(true);
    await f.close();
    await expect(f.read(0, 1)).rejects.toMatchObject({ code: "ERR_AGE_USAGE" });
  });

  it("argument errors are RangeErrors", async () => {
    const f = await open((await sealed(10)).ct);
    await expect(f.read(-1, 1)).rejects.toBeInstanceOf(RangeError);
    await expect(f.read(0, 1.5)).rejects.toBeInstanceOf(RangeError);
  });
});

describe("openEncrypted refuses damaged or unusable input", () => {
  let ct: Uint8Array;
  let h: number;
  beforeAll(async () => {
    ct = (await sealed(3 * K + 10)).ct;
    h = headerLength(ct);
  });
  const refuse = async (bytes: Uint8Array, code: string, ids = () => [identity]) =>
    expect(
      openEncrypted(blobRangeSource(new Blob([bytes as Uint8Array<ArrayBuffer>])), { identities: ids() }),
    ).rejects.toMatchObject({
      code,
    });

  it("a tampered final chunk", async () => {
    const t = Uint8Array.from(ct);
    t[t.length - 1] = (t[t.length - 1] as number) ^ 1;
    await refuse(t, "ERR_AGE_PAYLOAD");
  });
  it("truncated at a chunk boundary (the last full chunk is not final)", () =>
    refuse(ct.subarray(0, h + 16 + 3 * S), "ERR_AGE_PAYLOAD"));
  it("truncated mid-chunk", () => refuse(ct.subarray(0, ct.length - 3), "ERR_AGE_PAYLOAD"));
  it("cut right after the nonce", () => refuse(ct.subarray(0, h + 16), "ERR_AGE_PAYLOAD"));
  it("cut inside the nonce", () => refuse(ct.subarray(0, h + 7), "ERR_AGE_HEADER"));
  it("cut inside the header", () => refuse(ct.subarray(0, h - 5), "ERR_AGE_HEADER"));
  it("empty input", () => refuse(new Uint8Array(0), "ERR_AGE_HEADER"));
  it("appended bytes", () => refuse(Uint8Array.from([...ct, 0]), "ERR_AGE_PAYLOAD"));
  it("the wrong key", async () => {
    const other = await generateIdentity();
    await refuse(ct, "ERR_AGE_NO_MATCH", () => [other]);
  });
  it("armored input, with a code that says to dearmor", async () => {
    const armored = await encrypt(plain(100), { recipients: [recipient], armor: true });
    const err = await openEncrypted(blobRangeSource(new Blob([armored as Uint8Array<ArrayBuffer>])), {
      identities: [identity],
    }).catch((e) => e);
    expect(err.code).toBe("ERR_AGE_ARMORED");
    expect(err.message).toMatch(/dearmor/);
  });
  it("a tampered middle chunk fails only the reads that touch it", async () => {
    const t = Uint8Array.from(ct);
    t[h + 16 + S + 100] = (t[h + 16 + S + 100] as number) ^ 1;
    const f = await refuseNot(t);
    await expect(f.read(K + 5, 10)).rejects.toMatchObject({ code: "ERR_AGE_PAYLOAD" });
    expect((await f.read(0, 10)).length).toBe(10);
    expect((await f.read(2 * K, 10)).length).toBe(10);
  });
  it("a source that returns short reads", async () => {
    const src: RangeSource = {
      size: async () => ct.length,
      read: async (o, l) => ct.subarray(o, o + Math.max(0, l - 1)),
    };
    await expect(openEncrypted(src, { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_IO",
    });
  });
  it("bad options before any read", async () => {
    let reads = 0;
    const src: RangeSource = {
      size: async () => ct.length,
      read: async (o, l) => {
        reads++;
        return ct.subarray(o, o + l);
      },
    };
    await expect(openEncrypted(src, {})).rejects.toMatchObject({ code: "ERR_AGE_USAGE" });
    expect(reads).toBe(0);
  });
  const refuseNot = (bytes: Uint8Array) =>
    openEncrypted(blobRangeSource(new Blob([bytes as Uint8Array<ArrayBuffer>])), { identities: [identity] });
});

describe("httpRangeSource", () => {
  let server: Server;
  let url: string;
  let body: Uint8Array;
  let pt: Uint8Array;
  let honourRanges = true;
  beforeAll(async () => {
    ({ pt, ct: body } = await sealed(5 * K + 1));
    server = createServer((req, res) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
      if (!honourRanges || !m) {
        res.writeHead(200, { "content-length": body.length });
        res.end(body);
        return;
      }
      const from = Number(m[1]);
      const to = Math.min(Number(m[2]), body.length - 1);
      res.writeHead(206, { "content-range": `bytes ${from}-${to}/${body.length}` });
      res.end(body.subarray(from, to + 1));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f.age`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads ranges of a remote file over HTTP", async () => {
    honourRanges = true;
    const f = await openEncrypted(httpRangeSource(url), { identities: [identity] });
    expect(f.size).toBe(pt.length);
    expect(
      Buffer.from(await f.read(3 * K - 2, 4)).equals(Buffer.from(pt.subarray(3 * K - 2, 3 * K + 2))),
    ).toBe(true);
  });

  it("a server that ignores Range is ERR_AGE_IO", async () => {
    honourRanges = false;
    await expect(openEncrypted(httpRangeSource(url), { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_IO",
    });
    honourRanges = true;
  });
});
