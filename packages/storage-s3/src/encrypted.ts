import { open, stat } from "node:fs/promises";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  ciphertextSize,
  type DecryptOptions,
  decryptFd,
  decryptNodeStream,
  type EncryptDirectoryOptions,
  type ExtractDirectoryOptions,
  type ExtractResult,
  encryptDirectory,
  encryptNodeStream,
  encryptToChunks,
  extractDirectory,
  type FdOutput,
} from "@dms/crypto";
import { openOutput } from "@dms/fs";
import type { StorageVolume, VolumeController } from "@dms/storage";
import { S3Error, s3Error } from "./errors.js";
import { readObject } from "./get.js";
import { type GotObject, getObject } from "./objects.js";
import { stagedPull } from "./staging.js";
import { type PutOptions, putStream } from "./upload.js";

/** Options of {@link pushEncrypted}: age options plus upload tuning. */
export type PushOptions = EncryptDirectoryOptions & Pick<PutOptions, "partSize" | "queueSize">;

/** What {@link pushEncrypted} did. */
export interface PushResult {
  /** Whether a folder (one tar inside age) or a single file was pushed. */
  kind: "directory" | "file";
  /** Ciphertext bytes stored. */
  bytes: number;
  etag: string | undefined;
}

/**
 * Encrypts a folder (as one tar inside one age stream, what `age -d | tar -x` restores), a
 * single file or a readable stream (standard input, say) straight into one object while it uploads: multipart, memory bounded by
 * partSize x (queueSize + 1) (24 MiB by default) whatever the size. The object appears only when complete; on any
 * failure the multipart upload is aborted and the key is left as it was.
 *
 * @throws AgeError (bad recipients, a tree that cannot be archived), S3Error (every code).
 * @example
 * ```ts
 * await pushEncrypted(client, "job-42/inputs", "jobs", "job-42/inputs.tar.age", { recipients: [providerKey] });
 * ```
 */
export async function pushEncrypted(
  client: S3Client,
  path: string | NodeJS.ReadableStream,
  bucket: string,
  key: string,
  o: PushOptions,
): Promise<PushResult> {
  const isStream = typeof (path as { pipe?: unknown } | null)?.pipe === "function";
  if (typeof path !== "string" && !isStream) {
    throw new TypeError(`path: expected a string or a readable stream, got ${typeof path}`);
  }
  const { partSize, queueSize, ...enc } = o;
  const st = typeof path === "string" ? await stat(path) : undefined;
  const isDir = st?.isDirectory() === true;
  // A hint only: the header size is not known before encryption, 4 KiB bounds it for a few recipients.
  const sizeHint = st && !isDir ? ciphertextSize(st.size, 4096) : undefined;
  // verify off: no MD5 of the ciphertext, age's MAC checks it end to end when it is pulled.
  const put = (body: AsyncIterable<Uint8Array>) =>
    putStream(client, bucket, key, body, { partSize, queueSize, sizeHint, verify: false, signal: o.signal });
  if (typeof path === "string" && !isDir) {
    // A file goes straight from the chunk engine into the part buffers: no stream between them,
    // which kept a 1 GiB push's peak memory ~20 MiB higher.
    const fh = await open(path, "r");
    try {
      const r = await put(flatten(encryptToChunks(fh.fd, enc, st?.size)));
      return { kind: "file", bytes: r.bytes, etag: r.etag };
    } finally {
      await fh.close();
    }
  }
  const wire = new PassThrough({ highWaterMark: 1024 * 1024 });
  const produce =
    typeof path !== "string"
      ? pipeline(path, encryptNodeStream(enc), wire)
      : encryptDirectory(path, wire, enc).then(() => undefined);
  // Whichever side fails first takes the other down: the producer's error ends the body (so the
  // upload aborts); the upload's error closes the pipe (so the producer stops).
  const produced = produce.catch((e: unknown) => {
    wire.destroy(e instanceof Error ? e : new Error(String(e)));
    throw e;
  });
  const stored = put(wire).catch((e: unknown) => {
    wire.destroy();
    throw e;
  });
  const [p, s] = await Promise.allSettled([produced, stored]);
  if (p.status === "rejected") {
    // The producer's failure is the cause; the upload then only reports that its body failed.
    if (s.status === "fulfilled") throw p.reason;
    throw s.reason instanceof S3Error && s.reason.code !== "ERR_S3_REMOTE" && !isPipeClosed(p.reason)
      ? s.reason
      : p.reason;
  }
  if (s.status === "rejected") throw s.reason;
  return { kind: isDir ? "directory" : "file", bytes: s.value.bytes, etag: s.value.etag };
}

async function* flatten(batches: AsyncIterable<Uint8Array[]>): AsyncGenerator<Uint8Array> {
  for await (const b of batches) yield* b;
}

function isPipeClosed(e: unknown): boolean {
  const code = (e as { code?: string; cause?: { code?: string } })?.code;
  return code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ERR_AGE_IO";
}

/**
 * Downloads an encrypted folder archive and extracts it while it streams in (decryption and tar
 * extraction together, memory flat) into `dir`, which must be absent or empty. Everything is
 * staged beside `dir` and renamed into place only after the final chunk authenticated (age's
 * MAC covers the whole archive); on failure `dir` is as it was.
 *
 * @throws AgeError (wrong key, damaged object, ERR_ARCHIVE_* refusals), S3Error (missing object,
 * network).
 */
export async function pullEncryptedTo(
  client: S3Client,
  bucket: string,
  key: string,
  dir: string,
  o: ExtractDirectoryOptions,
): Promise<ExtractResult> {
  const obj = await getObject(client, bucket, key, { signal: o.signal });
  const body = Readable.from(netChecked(obj.body, bucket, key));
  return extractDirectory(body, dir, o);
}

async function* netChecked(
  body: AsyncIterable<Uint8Array>,
  bucket: string,
  key: string,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of body) yield c;
  } catch (e) {
    throw s3Error(e, `download s3://${bucket}/${key}`, bucket, key);
  }
}

/**
 * {@link pullEncryptedTo} into a new volume of `controller`, then locked with its digest. Extraction
 * is staged as {@link S3Provider.download}'s is: on failure, or when the process is killed, no
 * volume appears (the next pull sweeps what a killed one left).
 */
export async function pullEncrypted(
  client: S3Client,
  bucket: string,
  key: string,
  controller: VolumeController,
  o: ExtractDirectoryOptions,
): Promise<StorageVolume> {
  // extractDirectory wants its target absent: the staging folder's `content` is made by it.
  return stagedPull(controller, (dir) => pullEncryptedTo(client, bucket, key, dir, o).then(() => undefined), {
    create: false,
  });
}

/**
 * Decrypts one object straight to a file (written atomically: temp beside it, renamed after the
 * last chunk authenticated), to a descriptor or an @dms/fs output the caller owns (discard it on
 * failure), or to a writable stream.
 *
 * @returns plaintext bytes written.
 * @throws AgeError, S3Error.
 */
export async function decryptObject(
  client: S3Client,
  bucket: string,
  key: string,
  dst: string | FdOutput | NodeJS.WritableStream,
  o: DecryptOptions,
): Promise<number> {
  let n = 0;
  const counted: DecryptOptions = {
    ...o,
    onProgress: (p) => {
      n = p.bytes;
      o.onProgress?.(p);
    },
  };
  if (typeof dst !== "string" && typeof dst !== "number" && "write" in dst) {
    const obj = await getObject(client, bucket, key, { signal: o.signal });
    await pipeline(Readable.from(netChecked(obj.body, bucket, key)), decryptNodeStream(counted), dst);
    return n;
  }
  // Files and descriptors take the body in one reused buffer: the descriptor engine is done with
  // each block before it asks for the next.
  const raw = await readObject(client, bucket, key, o.signal);
  const sdk = raw ? undefined : await getObject(client, bucket, key, { signal: o.signal });
  const src = raw ? raw.blocks : netChecked((sdk as GotObject).body, bucket, key);
  if (typeof dst !== "string") {
    await decryptFd(src, dst, counted);
    return n;
  }
  const out = await openOutput(dst, { mode: 0o600 }).catch((e: unknown) => {
    // Nothing read the body yet: close its connection here (a generator never started has no
    // finally to run).
    raw?.close();
    sdk?.body.destroy();
    throw e;
  });
  try {
    // The descriptor engine hands each authenticated chunk to the output, which copies it and
    // writes 4 MiB at a time (around the page cache, see @dms/fs direct.ts): a 1 GiB pull took
    // 4.2-4.8 s through page-cache writes of each chunk against 5.0-5.6 s through a Writable.
    await decryptFd(src, out, counted);
    await out.commit();
    return n;
  } catch (e) {
    await out.abort();
    throw e;
  }
}
