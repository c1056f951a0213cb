import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { S3Error, s3Error } from "./errors.js";
import { EtagHasher, PART_SIZE_META, plainEtag } from "./etag.js";
import { headObject } from "./objects.js";

// Our own multipart upload rather than lib-storage's: its parts are fresh Buffer.concat copies,
// so a 1 GiB push left ~100 MiB of dead parts for the collector and peaked at 171 MiB RSS. Here
// each part is cut into a buffer from a small pool and the buffer is reused once its request
// settles, so memory is the pool, whatever the size.

/** Options of {@link putStream}. */
export interface PutOptions {
  /**
   * Multipart part size; default 8 MiB, raised for a large `sizeHint` so the upload stays within
   * S3's 10 000 parts. When the size is unknown: 16 MiB (objects up to 156 GiB), or, with `verify`
   * off, 8 MiB doubling every 1000 parts (no object size limit but S3's 5 TiB).
   */
  partSize?: number | undefined;
  /** Expected body size, when known (a file's size); picks a part size that fits. */
  sizeHint?: number | undefined;
  /** Parts in flight; default as many as fit in 16 MiB (2 of 8 MiB). Memory is partSize x (queueSize + 1). */
  queueSize?: number | undefined;
  /**
   * Check the stored ETag against the MD5 of the bytes sent (plain transfers). Default true;
   * encrypted pushes turn it off, as age's MAC checks them end to end.
   */
  verify?: boolean | undefined;
  contentType?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((bytes: number) => void) | undefined;
  /**
   * Part buffers shared with other uploads running at the same time, which bounds their memory
   * together (used when its part size is this upload's). Default: this upload's own buffers.
   */
  parts?: PartPool | undefined;
}

/**
 * Part buffers shared by concurrent uploads: at most `max` of `partSize` bytes ever exist; a
 * buffer goes back when its part's request settles, and an upload that needs one waits for it.
 */
export class PartPool {
  readonly #free: Buffer[] = [];
  readonly #waiting: ((b: Buffer) => void)[] = [];
  #made = 0;

  constructor(
    readonly partSize: number,
    readonly max: number,
  ) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`max: expected at least 1, got ${max}`);
  }

  /** Buffers made so far (never more than `max`). */
  get made(): number {
    return this.#made;
  }

  take(): Buffer | Promise<Buffer> {
    const b = this.#free.pop();
    if (b) return b;
    if (this.#made < this.max) {
      this.#made++;
      return Buffer.allocUnsafe(this.partSize);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(b: Buffer): void {
    const next = this.#waiting.shift();
    if (next) next(b);
    else this.#free.push(b);
  }
}

export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIB = 1024 * 1024;
const IN_FLIGHT_BYTES = 16 * MIB;
/** S3's smallest part but the last, and its largest. */
const MIN_PART = 5 * MIB;
const MAX_PART = 5 * 1024 * MIB;
/** Parts between two doublings of a growing part size. */
const GROW_EVERY = 1000;

/**
 * Size of part `n` (from 1) of a body of unknown size: 8 MiB, doubling every 1000 parts, at most
 * S3's 5 GiB. 10 000 parts then hold more than S3's largest object (5 TiB).
 */
export function growingPartSize(n: number): number {
  return Math.min(DEFAULT_PART_SIZE * 2 ** Math.floor((n - 1) / GROW_EVERY), MAX_PART);
}

/** The part size for a body of `sizeHint` bytes: the default, or larger to stay under 10 000 parts. */
export function partSizeFor(sizeHint: number | undefined): number {
  if (sizeHint === undefined) return 2 * DEFAULT_PART_SIZE;
  return Math.max(DEFAULT_PART_SIZE, Math.ceil(sizeHint / 9000 / MIB) * MIB);
}

/**
 * Streams `body` to one object. A body of at most one part is a single PUT; a larger one goes
 * multipart, and the object appears only when the upload completes. On any failure (the body's,
 * a part's after the client's retries, an abort) the parts in flight are cancelled and the
 * multipart upload is aborted, so nothing is left at the key (a killed process leaves parts: see
 * `abortIncompleteUploads`).
 *
 * @returns bytes written and the object's ETag.
 * @throws S3Error (every code), ERR_S3_INTEGRITY when the server's ETag does not match the bytes sent.
 */
export async function putStream(
  client: S3Client,
  bucket: string,
  key: string,
  body: Readable | AsyncIterable<Uint8Array>,
  o: PutOptions = {},
): Promise<{ bytes: number; etag: string | undefined }> {
  const where = `s3://${bucket}/${key}`;
  const verify = o.verify ?? true;
  // The ETag check needs one part size (recorded at upload); without it parts may grow, so a body
  // of unknown size starts small: one 8 MiB part in flight and one filling (16 MiB, not 32).
  const grow = !verify && o.partSize === undefined && o.sizeHint === undefined && o.parts === undefined;
  const partSize = grow ? DEFAULT_PART_SIZE : (o.partSize ?? partSizeFor(o.sizeHint));
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART) {
    throw new RangeError(`partSize: expected at least 5 MiB (S3's smallest part), got ${partSize}`);
  }
  const queueSize = o.queueSize ?? (grow ? 1 : Math.max(1, Math.floor(IN_FLIGHT_BYTES / partSize)));
  // Parts are cut at exactly partSize, so the ETag the server must report is this hasher's.
  const hasher = verify ? new EtagHasher(partSize) : undefined;
  const up = new PartSender(client, bucket, key, partSize, queueSize, o, grow);
  let bytes = 0;
  // The body's own failure (a producer's error) is passed on as it is, not as an S3 error.
  let bodyError: unknown;
  async function* watched(): AsyncGenerator<Uint8Array | string> {
    try {
      yield* body as AsyncIterable<Uint8Array | string>;
    } catch (e) {
      bodyError = e;
      throw e;
    }
  }
  try {
    for await (const c of watched()) {
      if (o.signal?.aborted) throw abortedError(where, bucket, key);
      const chunk = typeof c === "string" ? Buffer.from(c) : c;
      hasher?.update(chunk);
      await up.write(chunk);
      bytes += chunk.length;
      o.onProgress?.(bytes);
    }
    if (o.signal?.aborted) throw abortedError(where, bucket, key);
    let etag = await up.end();
    if (hasher) {
      // Ceph RGW 16 answers CompleteMultipartUpload with an empty ETag: HEAD has it.
      if (plainEtag(etag) === undefined) etag = (await headObject(client, bucket, key, o.signal)).etag;
      const got = plainEtag(etag);
      if (got !== undefined && got !== hasher.digest()) {
        throw new S3Error("ERR_S3_INTEGRITY", `${where}: the stored object does not match the bytes sent`, {
          bucket,
          key,
        });
      }
    }
    return { bytes, etag };
  } catch (e) {
    await up.abort();
    if (o.signal?.aborted) throw abortedError(where, bucket, key);
    if (e === bodyError && bodyError !== undefined) throw e;
    throw e instanceof S3Error ? e : s3Error(e, `upload to ${where}`, bucket, key);
  } finally {
    up.close();
  }
}

function abortedError(where: string, bucket: string, key: string): S3Error {
  return new S3Error("ERR_S3_ABORTED", `upload to ${where} was aborted`, { bucket, key });
}

/** Cuts a byte stream into parts and keeps up to `queueSize` of them in flight. */
class PartSender {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #key: string;
  readonly #queueSize: number;
  /** Parts double in size every GROW_EVERY parts (a body of unknown size, nothing recorded). */
  readonly #grow: boolean;
  readonly #o: PutOptions;
  /** Cancels the parts in flight when the upload fails. */
  readonly #stop = new AbortController();
  /** Where whole-part buffers come from and go back to: the shared pool, or one of its own. */
  #parts: PartPool;
  #cur: Buffer | undefined;
  #fill = 0;
  #uploadId: string | undefined;
  #inFlight = new Set<Promise<void>>();
  #failure: unknown;
  #done: { PartNumber: number; ETag: string | undefined }[] = [];
  readonly #onAbort = () => this.#stop.abort();

  constructor(
    client: S3Client,
    bucket: string,
    key: string,
    partSize: number,
    queueSize: number,
    o: PutOptions,
    grow = false,
  ) {
    this.#client = client;
    this.#bucket = bucket;
    this.#key = key;
    this.#queueSize = queueSize;
    this.#grow = grow;
    this.#o = o;
    // Its own pool holds what can be in use at once: the part being filled and those in flight.
    this.#parts = o.parts?.partSize === partSize ? o.parts : new PartPool(partSize, queueSize + 1);
    o.signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** The size of whole parts now: its pool's (which changes as parts grow). */
  get #partSize(): number {
    return this.#parts.partSize;
  }

  /**
   * Lets go of the caller's signal (one signal may serve thousands of uploads) and gives back the
   * buffer of a part never sent (after a single PUT, or a failure). Call after end or abort.
   */
  close(): void {
    this.#o.signal?.removeEventListener("abort", this.#onAbort);
    if (this.#cur?.length === this.#partSize) this.#parts.give(this.#cur);
    this.#cur = undefined;
  }

  async write(chunk: Uint8Array): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      // A full part is sent only once more bytes arrive, so a body of exactly one part stays a PUT.
      if (this.#cur && this.#fill === this.#partSize) await this.#sendCurrent();
      const cur = await this.#room(chunk.length - off);
      const n = Math.min(chunk.length - off, cur.length - this.#fill);
      cur.set(chunk.subarray(off, off + n), this.#fill);
      this.#fill += n;
      off += n;
    }
  }

  /** Sends what is left and completes. @returns the ETag the server gave. */
  async end(): Promise<string | undefined> {
    const cur = this.#cur?.subarray(0, this.#fill) ?? Buffer.alloc(0);
    if (this.#uploadId === undefined) {
      const r = await this.#client.send(new PutObjectCommand({ ...this.#objectParams(), Body: cur }), {
        abortSignal: this.#stop.signal,
      });
      return r.ETag;
    }
    if (this.#fill > 0) await this.#sendCurrent();
    await this.#drain(0);
    const r = await this.#client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.#bucket,
        Key: this.#key,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: this.#done },
      }),
      { abortSignal: this.#stop.signal },
    );
    return r.ETag;
  }

  /** Cancels the parts in flight, waits for them, and aborts the multipart upload. Never throws. */
  async abort(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(this.#inFlight);
    if (this.#uploadId === undefined) return;
    await this.#client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.#bucket, Key: this.#key, UploadId: this.#uploadId }),
      )
      .catch(() => undefined);
  }

  #objectParams() {
    return {
      Bucket: this.#bucket,
      Key: this.#key,
      Metadata: (this.#grow ? {} : { [PART_SIZE_META]: String(this.#partSize) }) as Record<string, string>,
      ...(this.#o.contentType ? { ContentType: this.#o.contentType } : {}),
    };
  }

  /** The current part's buffer with room for more bytes: small for a small body, else a whole part. */
  async #room(want: number): Promise<Buffer> {
    const cur = this.#cur;
    if (cur && this.#fill < cur.length) return cur;
    if (cur && cur.length < this.#partSize) {
      // The body outgrew its hint: move to a whole part.
      const b = await this.#parts.take();
      cur.copy(b, 0, 0, this.#fill);
      this.#cur = b;
      return b;
    }
    const hint = this.#o.sizeHint;
    const small = hint !== undefined && this.#done.length === 0 && Math.max(hint, want) < this.#partSize;
    this.#cur = small ? Buffer.allocUnsafe(Math.max(hint ?? 0, want)) : await this.#parts.take();
    return this.#cur;
  }

  async #sendCurrent(): Promise<void> {
    const buf = this.#cur as Buffer;
    const body = buf.subarray(0, this.#fill);
    this.#cur = undefined;
    this.#fill = 0;
    if (this.#uploadId === undefined) {
      const r = await this.#client.send(new CreateMultipartUploadCommand(this.#objectParams()), {
        abortSignal: this.#stop.signal,
      });
      this.#uploadId = r.UploadId;
    }
    await this.#drain(this.#queueSize - 1);
    const partNumber = this.#done.length + 1;
    const part = { PartNumber: partNumber, ETag: undefined as string | undefined };
    this.#done.push(part);
    const pool = this.#parts;
    const next = this.#grow ? growingPartSize(partNumber + 1) : this.#partSize;
    if (next !== this.#partSize) {
      // Later parts take buffers of the new size; this part's goes back to the old pool, unused.
      this.#parts = new PartPool(next, this.#queueSize + 1);
    }
    const p: Promise<void> = this.#client
      .send(
        new UploadPartCommand({
          Bucket: this.#bucket,
          Key: this.#key,
          UploadId: this.#uploadId,
          PartNumber: partNumber,
          Body: body,
        }),
        { abortSignal: this.#stop.signal },
      )
      .then(
        (r) => {
          part.ETag = r.ETag;
        },
        (e: unknown) => {
          this.#failure ??= e;
          this.#stop.abort();
        },
      )
      .finally(() => {
        this.#inFlight.delete(p);
        if (buf.length === pool.partSize) pool.give(buf);
      });
    this.#inFlight.add(p);
  }

  /** Waits until at most `n` parts are in flight; rethrows the first part's failure. */
  async #drain(n: number): Promise<void> {
    while (this.#inFlight.size > n) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }
}
