// The worker-thread engine (src/workers/): same bytes as the
// one-thread engine, results in order whatever order the workers finish in, only the
// authenticated prefix released on failure, and abort. The workers run dist/workers/worker.js, so the
// package must be built first (turbo's test task depends on build).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { getBackend } from "../../src/backend/select.js";
import {
  decrypt,
  decryptFile,
  decryptNodeStream,
  encrypt,
  encryptFile,
  encryptNodeStream,
} from "../../src/index.js";
import { openBatch, sealBatch } from "../../src/stream/batch.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from "../../src/stream/chunk.js";
import { ChunkOpener, ChunkSealer } from "../../src/stream/incremental.js";
import { ParallelOpener, ParallelSealer, workerCount } from "../../src/workers/parallel.js";
import { closePools, getPool, type Job, type JobResult, type Pool } from "../../src/workers/pool.js";
import { IDENTITY, RECIPIENT } from "../fixture.js";
import { bytes, concat, expectBytes, expectCode } from "../helpers.js";

const native = getBackend("native");
const key = bytes(32, 99);
const dir = mkdtempSync(join(tmpdir(), "age-parallel-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closePools();
});

function sealOne(plain: Uint8Array): Uint8Array {
  const s = new ChunkSealer(native, key);
  return concat([...s.push(plain), ...s.finish()]);
}

async function sealPar(pool: Pool, pieces: Uint8Array[]): Promise<Uint8Array> {
  const s = new ParallelSealer(native, key, pool, 0);
  const out: Uint8Array[] = [];
  for (const p of pieces) out.push(...(await s.push(p)));
  out.push(...(await s.finish()));
  return concat(out);
}

function flip(b: Uint8Array, i: number): void {
  b[i] = (b[i] as number) ^ 1;
}

function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, data.length]) {
    parts.push(data.subarray(prev, c));
    prev = c;
  }
  return parts;
}

/**
 * A pool stand-in that runs the real batch functions on this thread but finishes jobs in the
 * reverse of their submission order (up to `hold` at a time), to prove re-ordering.
 */
function reversingPool(hold: number): Pool & { order: number[] } {
  let waiting: (() => void)[] = [];
  const order: number[] = [];
  let id = 0;
  const fake = {
    size: Math.ceil(hold / 2),
    order,
    run(job: Omit<Job, "id">): Promise<JobResult> {
      const n = id++;
      return new Promise<JobResult>((resolve) => {
        waiting.push(() => {
          order.push(n);
          if (job.op === "seal")
            resolve({ id: n, out: sealBatch(native, job.key, job.counter, job.last, job.data), chunks: 0 });
          else {
            const r = openBatch(native, job.key, job.counter, job.last, job.data);
            resolve({
              id: n,
              out: r.plain,
              chunks: r.chunks,
              ...(r.error === undefined ? {} : { error: r.error }),
            });
          }
        });
        if (waiting.length >= hold || job.last) {
          const run = waiting.reverse();
          waiting = [];
          setTimeout(() => {
            for (const f of run) f();
          }, 1);
        }
      });
    },
    close: async () => {},
  };
  return fake as unknown as Pool & { order: number[] };
}

describe("batches", () => {
  it.each([0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 16 * CHUNK_SIZE, 40 * CHUNK_SIZE + 3])(
    "sealBatch of %i bytes is the one-thread output, and openBatch opens it",
    (n) => {
      const plain = bytes(n, n + 1);
      const sealed = sealBatch(native, key, 0, true, plain);
      expectBytes(sealed, sealOne(plain));
      const r = openBatch(native, key, 0, true, sealed);
      expect(r.error).toBeUndefined();
      expectBytes(r.plain, plain);
    },
  );

  it("a non-final batch must be whole chunks", () => {
    expect(() => sealBatch(native, key, 0, false, new Uint8Array(CHUNK_SIZE + 1))).toThrow(RangeError);
  });
});

describe("ordering", () => {
  it("results come out in submission order when the workers finish in reverse", async () => {
    const plain = bytes(40 * 16 * CHUNK_SIZE + 12345, 7);
    const pool = reversingPool(6);
    expectBytes(await sealPar(pool, [plain]), sealOne(plain));
    // The stand-in really did finish jobs out of order.
    expect(pool.order).not.toEqual([...pool.order].sort((a, b) => a - b));
    const opener = new ParallelOpener(native, key, reversingPool(6), 0);
    const out: Uint8Array[] = [];
    await opener.push(sealOne(plain), out);
    await opener.finish(out);
    expectBytes(concat(out), plain);
  });

  it("real workers: any split of any size gives the one-thread bytes and opens back", async () => {
    const pool = getPool(2);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * 16 * CHUNK_SIZE + 100 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (n, cuts) => {
          const plain = bytes(n, n + 3);
          const sealed = await sealPar(pool, split(plain, cuts));
          expectBytes(sealed, sealOne(plain));
          const o = new ParallelOpener(native, key, pool, 0);
          const out: Uint8Array[] = [];
          for (const p of split(sealed, cuts)) await o.push(p, out);
          await o.finish(out);
          expectBytes(concat(out), plain);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("failure releases only the authenticated prefix", () => {
  const plain = bytes(50 * CHUNK_SIZE + 999, 5);
  const sealed = sealOne(plain);

  /** What the one-thread opener releases for the same input, and its error. */
  function reference(input: Uint8Array): { released: Uint8Array; failed: boolean } {
    const o = new ChunkOpener(native, key);
    const out: Uint8Array[] = [];
    try {
      o.push(input, out);
      out.push(o.finish());
      return { released: concat(out), failed: false };
    } catch {
      return { released: concat(out), failed: true };
    }
  }

  async function parallel(
    pool: Pool,
    input: Uint8Array,
    pieces = 3,
  ): Promise<{ released: Uint8Array; failed: boolean }> {
    const o = new ParallelOpener(native, key, pool, 0);
    const out: Uint8Array[] = [];
    try {
      const step = Math.ceil(input.length / pieces);
      for (let i = 0; i < input.length; i += step) await o.push(input.subarray(i, i + step), out);
      await o.finish(out);
      return { released: concat(out), failed: false };
    } catch (e) {
      expect((e as { code?: string }).code).toBe("ERR_AGE_PAYLOAD");
      return { released: concat(out), failed: true };
    }
  }

  const cases: [string, () => Uint8Array][] = [
    [
      "a flipped byte in chunk 37",
      () => {
        const c = sealed.slice();
        flip(c, 37 * SEALED_CHUNK_SIZE + 10);
        return c;
      },
    ],
    [
      "a flipped byte in the final chunk",
      () => {
        const c = sealed.slice();
        flip(c, c.length - 1);
        return c;
      },
    ],
    ["truncation at a chunk boundary", () => sealed.subarray(0, 20 * SEALED_CHUNK_SIZE)],
    ["truncation inside a chunk", () => sealed.subarray(0, 20 * SEALED_CHUNK_SIZE + 100)],
    ["trailing bytes after the final chunk", () => concat([sealed, new Uint8Array(5)])],
    [
      "chunks 3 and 4 swapped",
      () => {
        const c = sealed.slice();
        c.set(sealed.subarray(4 * SEALED_CHUNK_SIZE, 5 * SEALED_CHUNK_SIZE), 3 * SEALED_CHUNK_SIZE);
        c.set(sealed.subarray(3 * SEALED_CHUNK_SIZE, 4 * SEALED_CHUNK_SIZE), 4 * SEALED_CHUNK_SIZE);
        return c;
      },
    ],
    ["nothing at all", () => new Uint8Array(0)],
  ];

  it.each(cases)("%s: same prefix and failure as the one-thread opener", async (_name, make) => {
    const input = make();
    const want = reference(input);
    expect(want.failed).toBe(true);
    for (const pool of [getPool(2), reversingPool(4)]) {
      const got = await parallel(pool, input);
      expect(got.failed).toBe(true);
      expectBytes(got.released, want.released);
    }
  });

  it("a failure in an early batch releases nothing from later batches that already opened", async () => {
    const c = sealed.slice();
    flip(c, 2 * SEALED_CHUNK_SIZE);
    const got = await parallel(reversingPool(8), c, 1);
    expect(got.failed).toBe(true);
    expectBytes(got.released, plain.subarray(0, 2 * CHUNK_SIZE));
  });
});

describe("files and Node streams with DMS_CRYPTO_WORKERS", () => {
  const saved = process.env.DMS_CRYPTO_WORKERS;
  beforeEach(() => {
    process.env.DMS_CRYPTO_WORKERS = "2";
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DMS_CRYPTO_WORKERS;
    else process.env.DMS_CRYPTO_WORKERS = saved;
  });
  const enc = { recipients: [RECIPIENT] };
  const dec = { identities: [IDENTITY] };
  const big = bytes(9 * 1024 * 1024 + 7, 11);

  it("workerCount reads the variable at call time", () => {
    expect(workerCount({})).toBe(0);
    expect(workerCount({ DMS_CRYPTO_WORKERS: " " })).toBe(0);
    expect(workerCount({ DMS_CRYPTO_WORKERS: "2" })).toBe(2);
    for (const bad of ["x", "-1", "1.5", "99"]) {
      expect(() => workerCount({ DMS_CRYPTO_WORKERS: bad })).toThrow(
        expect.objectContaining({ code: "ERR_AGE_USAGE" }),
      );
    }
  });

  it("encryptFile / decryptFile round-trip, readable without workers", async () => {
    const src = join(dir, "big");
    writeFileSync(src, big);
    await encryptFile(src, `${src}.age`, enc);
    await decryptFile(`${src}.age`, `${src}.out`, dec);
    expectBytes(readFileSync(`${src}.out`), big);
    delete process.env.DMS_CRYPTO_WORKERS;
    expectBytes(await decrypt(readFileSync(`${src}.age`), dec), big);
  });

  it("Node streams round-trip", async () => {
    const parts: Uint8Array[] = [];
    await pipeline(
      Readable.from([big.subarray(0, 5_000_000), big.subarray(5_000_000)]),
      encryptNodeStream(enc),
      decryptNodeStream(dec),
      new Writable({
        write(c, _e, cb) {
          parts.push(c);
          cb();
        },
      }),
    );
    expectBytes(concat(parts), big);
  });

  it("a corrupt file: decryptNodeStream emits exactly the chunks before the bad one, then ERR_AGE_PAYLOAD", async () => {
    const ct = await encrypt(big, enc);
    const headerAndNonce = ct.length - (Math.ceil(big.length / CHUNK_SIZE) * 16 + big.length);
    const bad = ct.slice();
    flip(bad, headerAndNonce + 100 * SEALED_CHUNK_SIZE + 3);
    const parts: Uint8Array[] = [];
    await expectCode(
      () =>
        pipeline(
          Readable.from([bad]),
          decryptNodeStream(dec),
          new Writable({
            write(c, _e, cb) {
              parts.push(c);
              cb();
            },
          }),
        ),
      "ERR_AGE_PAYLOAD",
    );
    expectBytes(concat(parts), big.subarray(0, 100 * CHUNK_SIZE));
    // decryptFile leaves nothing behind for the same file.
    const src = join(dir, "bad.age");
    writeFileSync(src, bad);
    await expectCode(() => decryptFile(src, join(dir, "bad.out"), dec), "ERR_AGE_PAYLOAD");
    expect(existsSync(join(dir, "bad.out"))).toBe(false);
  });

  it("abort part-way: encryptFile stops with ERR_AGE_ABORTED and leaves no file", async () => {
    const sub = mkdtempSync(join(dir, "abort-"));
    const src = join(sub, "big");
    writeFileSync(src, big);
    const ac = new AbortController();
    const seen: number[] = [];
    await expectCode(
      () =>
        encryptFile(src, join(sub, "big.age"), {
          ...enc,
          signal: ac.signal,
          onProgress: (p) => {
            seen.push(p.bytes);
            if (p.bytes >= 6 * 1024 * 1024) ac.abort();
          },
        }),
      "ERR_AGE_ABORTED",
    );
    expect(seen.at(-1)).toBeLessThan(big.length);
    expect(readdirSync(sub)).toEqual(["big"]);
  });

  it("abort part-way: decryptNodeStream errors with ERR_AGE_ABORTED", async () => {
    const ct = await encrypt(big, enc);
    const ac = new AbortController();
    let got = 0;
    await expectCode(
      () =>
        pipeline(
          Readable.from(split(ct, [1 << 20, 2 << 20, 3 << 20, 6 << 20, 8 << 20])),
          decryptNodeStream({ ...dec, signal: ac.signal }),
          new Writable({
            write(c, _e, cb) {
              got += c.length;
              if (got >= 5 * 1024 * 1024) ac.abort();
              cb();
            },
          }),
        ),
      "ERR_AGE_ABORTED",
    );
    expect(got).toBeLessThan(big.length);
  });
});
