import { createHash, randomBytes } from "node:crypto";
import { getEventListeners } from "node:events";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EtagHasher } from "../src/etag.js";
import { listIncompleteUploads, PartPool, putStream } from "../src/index.js";
import { getObject } from "../src/objects.js";
import { DEFAULT_PART_SIZE, growingPartSize } from "../src/upload.js";
import { client, expectS3Code, haveGateway, newBucket } from "./helpers.js";

const MIB = 1024 * 1024;
const PART = 5 * MIB;

/** `data` as a stream of uneven chunks, so parts are cut across chunk boundaries. */
async function* chunks(data: Buffer, size = 777_777): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe("PartPool", () => {
  it("makes at most max buffers, reuses them, and hands a returned one to the oldest waiter", async () => {
    const pool = new PartPool(16, 2);
    const a = await pool.take();
    const b = await pool.take();
    expect(pool.made).toBe(2);
    const order: string[] = [];
    const w1 = Promise.resolve(pool.take()).then((x) => order.push(x === a ? "w1:a" : "w1:?"));
    const w2 = Promise.resolve(pool.take()).then((x) => order.push(x === b ? "w2:b" : "w2:?"));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    pool.give(a);
    pool.give(b);
    await Promise.all([w1, w2]);
    expect(order).toEqual(["w1:a", "w2:b"]);
    expect(pool.made).toBe(2);
    expect(() => new PartPool(16, 0)).toThrow(RangeError);
  });
});

describe("growingPartSize, for bodies of unknown size", () => {
  it("starts at 8 MiB, doubles every 1000 parts, stays within S3's limits and holds 5 TiB", () => {
    expect(growingPartSize(1)).toBe(8 * MIB);
    expect(growingPartSize(1000)).toBe(8 * MIB);
    expect(growingPartSize(1001)).toBe(16 * MIB);
    expect(growingPartSize(10_000)).toBe(4096 * MIB);
    let total = 0;
    for (let n = 1; n <= 10_000; n++) {
      const size = growingPartSize(n);
      expect(size).toBeLessThanOrEqual(5 * 1024 * MIB);
      total += size;
    }
    expect(total).toBeGreaterThan(5 * 1024 * 1024 * MIB);
  });
});

describe.skipIf(!haveGateway())("putStream, the multipart uploader, on Ceph RGW", () => {
  let c: S3Client;
  let bucket: string;
  beforeAll(async () => {
    c = client();
    bucket = await newBucket(c);
  });
  afterAll(() => c?.destroy());

  async function roundTrip(key: string, data: Buffer, o: Parameters<typeof putStream>[4] = {}) {
    const r = await putStream(c, bucket, key, chunks(data), { partSize: PART, ...o });
    expect(r.bytes).toBe(data.length);
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const back = Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(createHash("sha256").update(back).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
    return r.etag?.replace(/"/g, "") ?? "";
  }

  it("sends a body of at most one part as one PUT, and a larger one as parts", async () => {
    const one = randomBytes(PART);
    expect(await roundTrip("one-part", one)).toBe(createHash("md5").update(one).digest("hex"));
    expect(await roundTrip("empty", Buffer.alloc(0))).toBe(createHash("md5").digest("hex"));
    const three = randomBytes(2 * PART + 1);
    const etag = await roundTrip("three-parts", three);
    const h = new EtagHasher(PART);
    h.update(three);
    expect(etag).toBe(h.digest());
    expect(etag.endsWith("-3")).toBe(true);
  });

  it("a size hint that is too small or too large still stores the exact bytes", async () => {
    const data = randomBytes(PART + 12345);
    await roundTrip("hint-small", data, { sizeHint: 1000 });
    await roundTrip("hint-large", data.subarray(0, 5000), { sizeHint: 100 * MIB });
  });

  it("records the part size, so a download can check the multipart ETag", async () => {
    await roundTrip("checked", randomBytes(3 * PART), { queueSize: 1 });
    const obj = await getObject(c, bucket, "checked");
    expect(obj.partSize).toBe(PART);
  });

  it("a body of unknown size without the ETag check goes in 8 MiB parts and records no part size", async () => {
    const data = randomBytes(2 * DEFAULT_PART_SIZE + 1);
    const r = await putStream(c, bucket, "unknown-size", chunks(data), { verify: false });
    expect(r.bytes).toBe(data.length);
    const obj = await getObject(c, bucket, "unknown-size");
    expect(obj.etag?.replace(/"/g, "").endsWith("-3")).toBe(true);
    expect(obj.partSize).toBeUndefined();
    obj.body.destroy();
    // With the check (the default), one recorded part size: 16 MiB for an unknown size.
    await putStream(c, bucket, "unknown-checked", chunks(data));
    const checked = await getObject(c, bucket, "unknown-checked");
    expect(checked.etag?.replace(/"/g, "").endsWith("-2")).toBe(true);
    expect(checked.partSize).toBe(2 * DEFAULT_PART_SIZE);
    checked.body.destroy();
  });

  it("a body that fails midway leaves no object and no multipart upload", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunks(randomBytes(3 * PART));
      throw new Error("the producer broke");
    }
    await expect(putStream(c, bucket, "broken/x", failing(), { partSize: PART })).rejects.toThrow(
      "the producer broke",
    );
    await expectS3Code(getObject(c, bucket, "broken/x"), "ERR_S3_NO_KEY");
    expect(await listIncompleteUploads(c, bucket, "broken/")).toEqual([]);
  });

  it("an abort cancels the parts in flight: ERR_S3_ABORTED, nothing left", async () => {
    const ac = new AbortController();
    const p = putStream(c, bucket, "aborted/x", chunks(randomBytes(6 * PART)), {
      partSize: PART,
      signal: ac.signal,
      onProgress: (n) => {
        if (n > 2 * PART) ac.abort();
      },
    });
    await expectS3Code(p, "ERR_S3_ABORTED");
    await expectS3Code(getObject(c, bucket, "aborted/x"), "ERR_S3_NO_KEY");
    expect(await listIncompleteUploads(c, bucket, "aborted/")).toEqual([]);
  });

  it("lets go of the caller's signal, so one signal can serve many uploads", async () => {
    const ac = new AbortController();
    for (let i = 0; i < 3; i++) {
      await putStream(c, bucket, `signal/${i}`, chunks(randomBytes(PART + 1)), {
        partSize: PART,
        signal: ac.signal,
      });
    }
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      throw new Error("broken");
    }
    await expect(putStream(c, bucket, "signal/x", failing(), { signal: ac.signal })).rejects.toThrow(
      "broken",
    );
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
  });

  it("uploads running at once share a pool's buffers: four 3-part bodies with two buffers", async () => {
    const pool = new PartPool(PART, 2);
    const bodies = [0, 1, 2, 3].map(() => randomBytes(2 * PART + 4321));
    await Promise.all(bodies.map((d, i) => roundTrip(`shared/${i}`, d, { parts: pool })));
    // Without the shared pool each upload would have made its own (3 each); with it, two in all.
    expect(pool.made).toBe(2);
  });

  it("a failed or single-PUT upload gives its buffer back to the shared pool", async () => {
    const pool = new PartPool(PART, 1);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunks(randomBytes(PART + 100));
      throw new Error("the producer broke");
    }
    await expect(
      putStream(c, bucket, "shared-fail/x", failing(), { partSize: PART, parts: pool }),
    ).rejects.toThrow("the producer broke");
    await roundTrip("shared-fail/one-put", randomBytes(1000), { parts: pool });
    // With the buffer kept by either, this one would wait for it forever (the test's timeout).
    await roundTrip("shared-fail/after", randomBytes(2 * PART), { parts: pool });
    expect(pool.made).toBe(1);
  });

  it("refuses a part size under S3's 5 MiB minimum before sending anything", async () => {
    await expect(putStream(c, bucket, "tiny", chunks(Buffer.alloc(10)), { partSize: MIB })).rejects.toThrow(
      RangeError,
    );
  });
});
