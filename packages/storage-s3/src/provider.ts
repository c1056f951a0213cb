import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import type { StorageVolume, VolumeController } from "@dms/storage";
import { type ClientSource, clientFor } from "./client.js";
import { S3Error } from "./errors.js";
import { checkBucket, checked, getObject, headObject, listObjects, type ObjectInfo } from "./objects.js";
import {
  globRegExp,
  isSingleObject,
  parseSpec,
  type S3Params,
  type SpecConfigLike,
  safeRelativePath,
} from "./params.js";
import { stagedPull } from "./staging.js";
import { DEFAULT_PART_SIZE, PartPool, putStream } from "./upload.js";

/** Part buffers one `upload` holds at most, across all its files. */
const UPLOAD_BUFFER_BYTES = 32 * 1024 * 1024;

/** Options shared by the provider's operations. */
export interface TransferOptions {
  signal?: AbortSignal | undefined;
  /** Bytes moved so far (and the total, when known). */
  onProgress?: ((p: { bytes: number; total?: number | undefined }) => void) | undefined;
  /** Objects transferred at once for prefixes. Default 8. */
  concurrency?: number | undefined;
  /** Multipart part size; default 8 MiB (larger for files over 70 GiB, to stay within 10 000 parts). */
  partSize?: number | undefined;
}

async function pool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  n: number,
  work: (t: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failed: unknown;
  for await (const it of items) {
    if (failed !== undefined) break;
    const p: Promise<void> = work(it).then(
      () => void running.delete(p),
      (e) => {
        running.delete(p);
        failed ??= e;
      },
    );
    running.add(p);
    if (running.size >= n) await Promise.race(running);
  }
  await Promise.all(running);
  if (failed !== undefined) throw failed;
}

/**
 * Upstream's S3 storage provider: download an object or prefix into a new locked volume,
 * upload a volume, size of a source. Params come from a `SpecConfig` of type `s3`
 * (`bucket`, `key`, `filter`, `region`, `endpoint`, any case); credentials from the SDK chain.
 *
 * @example
 * ```ts
 * const s3 = new S3Provider(controller);
 * const vol = await s3.download({ type: "s3", params: { bucket: "jobs", key: "job-42/inputs/" } });
 * ```
 */
export class S3Provider {
  readonly #controller: VolumeController;
  readonly #client: ClientSource | undefined;
  constructor(controller: VolumeController, client?: ClientSource) {
    this.#controller = controller;
    this.#client = client;
  }

  async #with<T>(params: S3Params, fn: (c: S3Client) => Promise<T>): Promise<T> {
    const { client, owned } = clientFor(this.#client, params);
    try {
      return await fn(client);
    } finally {
      if (owned) client.destroy();
    }
  }

  /**
   * Downloads one object (a key without trailing `/` or `*`) or every object under a prefix into
   * a new volume at `<volume>/<key>`, then locks it with its content digest. Everything is
   * staged in `<root>/.s3-pull-<pid>-*` (owner-only) and moved into the volume in one rename only
   * when every object arrived and matched its ETag; on failure no volume and no staging folder
   * remain, and what a killed pull left is removed by the next pull ({@link sweepStalePulls}).
   *
   * @throws S3Error ERR_S3_PARAMS, ERR_S3_NO_BUCKET, ERR_S3_NO_KEY (nothing matched),
   * ERR_S3_UNSAFE_KEY (a key such as `../x`), ERR_S3_INTEGRITY, ERR_S3_CREDENTIALS,
   * ERR_S3_ACCESS_DENIED, ERR_S3_NETWORK; StorageError from the controller.
   */
  async download(src: SpecConfigLike, o: TransferOptions = {}): Promise<StorageVolume> {
    const p = parseSpec(src);
    return this.#with(p, (client) => stagedPull(this.#controller, (dir) => fetchInto(client, p, dir, o)));
  }

  /**
   * Uploads every file of `volume` (a record or a folder path) to `<key>/<relative path>`,
   * streaming, several at once; each object is checked against its ETag.
   *
   * @returns the number of objects and bytes uploaded.
   * @throws S3Error as {@link download}; TypeError for a volume without a path.
   */
  async upload(
    volume: StorageVolume | string,
    target: SpecConfigLike,
    o: TransferOptions = {},
  ): Promise<{ objects: number; bytes: number }> {
    const root = typeof volume === "string" ? volume : volume?.Path;
    if (typeof root !== "string" || root === "")
      throw new TypeError("volume: expected a StorageVolume or a folder path");
    const p = parseSpec(target);
    const prefix = p.key === "" || p.key.endsWith("/") ? p.key : `${p.key}/`;
    return this.#with(p, async (client) => {
      await checkBucket(client, p.bucket, o.signal);
      let objects = 0;
      let bytes = 0;
      const files = walkFiles(root);
      // One set of part buffers for every file in flight: memory stays 32 MiB of parts (at least
      // two), however many large files run at once (each file with its own was up to 3 parts).
      const partSize = o.partSize ?? DEFAULT_PART_SIZE;
      const parts = new PartPool(partSize, Math.max(2, Math.floor(UPLOAD_BUFFER_BYTES / partSize)));
      await pool(files, o.concurrency ?? 8, async (file) => {
        // A single file (the volume is a file path) goes to <key>/<its name>.
        const rel = file === root ? basename(file) : relative(root, file).split(sep).join("/");
        // A name the download would refuse (control characters, over 255 bytes) is refused here,
        // so what is pushed can be pulled back.
        safeRelativePath(rel, p.bucket);
        const key = prefix + rel;
        let before = 0;
        const r = await putStream(
          client,
          p.bucket,
          key,
          createReadStream(file, { highWaterMark: 1024 * 1024 }),
          {
            partSize: o.partSize,
            sizeHint: (await stat(file)).size,
            queueSize: 2,
            parts,
            signal: o.signal,
            onProgress: (n) => {
              bytes += n - before;
              before = n;
              o.onProgress?.({ bytes });
            },
          },
        );
        objects++;
        void r;
      });
      return { objects, bytes };
    });
  }

  /**
   * Bytes of the object, or of every object under the prefix (after the filter).
   * @throws S3Error as {@link download}.
   */
  async size(src: SpecConfigLike, o: Pick<TransferOptions, "signal"> = {}): Promise<number> {
    const p = parseSpec(src);
    return this.#with(p, async (client) => {
      if (isSingleObject(p.key)) return (await headObject(client, p.bucket, p.key, o.signal)).size;
      let total = 0;
      for await (const obj of matching(client, p, o.signal)) total += obj.size;
      return total;
    });
  }
}

async function* walkFiles(root: string): AsyncGenerator<string> {
  const st = await stat(root);
  if (st.isFile()) {
    yield root;
    return;
  }
  const entries = await readdir(root, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = join(root, e.name);
    if (e.isDirectory()) yield* walkFiles(abs);
    else if (e.isFile()) yield abs;
  }
}

async function* matching(client: S3Client, p: S3Params, signal?: AbortSignal): AsyncGenerator<ObjectInfo> {
  const prefix = p.key.includes("*") ? p.key.slice(0, p.key.indexOf("*")) : p.key;
  const keyGlob = p.key.includes("*") ? globRegExp(p.key) : undefined;
  const filter = p.filter === "" ? undefined : globRegExp(p.filter);
  for await (const obj of listObjects(client, p.bucket, prefix, signal)) {
    if (keyGlob && !keyGlob.test(obj.key)) continue;
    if (filter && !filter.test(obj.key.slice(prefix.length))) continue;
    yield obj;
  }
}

/** Downloads what `p` selects into `dir` (which the caller removes on failure). */
async function fetchInto(client: S3Client, p: S3Params, dir: string, o: TransferOptions): Promise<void> {
  let bytes = 0;
  const one = async (key: string) => {
    const rel = safeRelativePath(key, p.bucket);
    const dst = join(dir, ...rel.split("/"));
    if (key.endsWith("/")) {
      await mkdir(dst, { recursive: true }); // a folder marker
      return;
    }
    try {
      await mkdir(dirname(dst), { recursive: true });
    } catch (e) {
      throw new S3Error(
        "ERR_S3_UNSAFE_KEY",
        `key ${JSON.stringify(key)} conflicts with another key (a file and a folder of one name)`,
        {
          cause: e,
          bucket: p.bucket,
          key,
        },
      );
    }
    const obj = await getObject(client, p.bucket, key, { signal: o.signal });
    async function* counted() {
      for await (const c of checked(obj, p.bucket, key)) {
        bytes += c.length;
        o.onProgress?.({ bytes });
        yield c;
      }
    }
    try {
      await pipeline(counted, createWriteStream(dst, { flags: "wx", mode: 0o644 }));
    } catch (e) {
      if ((e as { code?: string }).code === "EEXIST" || (e as { code?: string }).code === "EISDIR") {
        throw new S3Error("ERR_S3_UNSAFE_KEY", `key ${JSON.stringify(key)} conflicts with another key`, {
          cause: e,
          bucket: p.bucket,
          key,
        });
      }
      throw e;
    }
  };
  if (isSingleObject(p.key)) {
    safeRelativePath(p.key, p.bucket);
    await one(p.key);
    return;
  }
  let count = 0;
  async function* keys() {
    for await (const obj of matching(client, p, o.signal)) {
      count++;
      yield obj.key;
    }
  }
  await pool(keys(), o.concurrency ?? 8, one);
  if (count === 0) {
    await checkBucket(client, p.bucket, o.signal);
    throw new S3Error(
      "ERR_S3_NO_KEY",
      `nothing under s3://${p.bucket}/${p.key}${p.filter ? ` matches ${p.filter}` : ""}`,
      {
        bucket: p.bucket,
        key: p.key,
      },
    );
  }
}
