import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { S3Error, s3Error } from "./errors.js";
import { EtagHasher, PART_SIZE_META, plainEtag } from "./etag.js";

/** One listed object. */
export interface ObjectInfo {
  key: string;
  size: number;
  etag: string | undefined;
}

/** Every object under `prefix`, page by page (1000 a page), in key order. */
export async function* listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<ObjectInfo> {
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        signal ? { abortSignal: signal } : {},
      );
    } catch (e) {
      throw s3Error(e, `list s3://${bucket}/${prefix}`, bucket, prefix);
    }
    for (const c of page.Contents ?? []) {
      if (c.Key !== undefined) yield { key: c.Key, size: c.Size ?? 0, etag: c.ETag };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** HEAD of one object. @throws S3Error ERR_S3_NO_KEY, ERR_S3_NO_BUCKET, ... */
export async function headObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<{ size: number; etag: string | undefined; metadata: Record<string, string> }> {
  try {
    const h = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    return { size: h.ContentLength ?? 0, etag: h.ETag, metadata: h.Metadata ?? {} };
  } catch (e) {
    const err = s3Error(e, `read s3://${bucket}/${key}`, bucket, key);
    // HEAD has no body, so a missing bucket also comes back as a bare 404, and wrong credentials
    // as a bare 403: a listing (which has an error body) tells which it was.
    if (
      err.code === "ERR_S3_NO_KEY" ||
      (err.code === "ERR_S3_ACCESS_DENIED" && err.s3Code !== "AccessDenied")
    ) {
      await checkBucket(client, bucket, signal);
    }
    throw err;
  }
}

/** @throws S3Error ERR_S3_NO_BUCKET when `bucket` does not exist. */
export async function checkBucket(client: S3Client, bucket: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }),
      signal ? { abortSignal: signal } : {},
    );
  } catch (e) {
    throw s3Error(e, `open bucket ${bucket}`, bucket);
  }
}

/** A GET of one object as a byte stream, plus what is needed to check it. */
export interface GotObject {
  body: AsyncIterable<Uint8Array> & Readable;
  size: number;
  etag: string | undefined;
  /** Part size recorded at upload, for {@link EtagHasher}. */
  partSize: number | undefined;
}

/** GET of one object. @throws S3Error ERR_S3_NO_KEY, ERR_S3_NO_BUCKET, ERR_S3_CREDENTIALS, ... */
export async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
  o: { signal?: AbortSignal | undefined; ifMatch?: string | undefined } = {},
): Promise<GotObject> {
  try {
    const r = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(o.ifMatch ? { IfMatch: o.ifMatch } : {}) }),
      o.signal ? { abortSignal: o.signal } : {},
    );
    const ps = Number(r.Metadata?.[PART_SIZE_META]);
    return {
      body: r.Body as GotObject["body"],
      size: r.ContentLength ?? 0,
      etag: r.ETag,
      partSize: Number.isSafeInteger(ps) && ps > 0 ? ps : undefined,
    };
  } catch (e) {
    throw s3Error(e, `download s3://${bucket}/${key}`, bucket, key);
  }
}

/**
 * Passes an object's bytes through, checking length and (when the upload recorded its part size
 * or the object is a single PUT) the ETag at the end.
 *
 * @throws S3Error ERR_S3_INTEGRITY at the end of the stream on a mismatch, ERR_S3_NETWORK when the
 * connection drops mid-body.
 */
export async function* checked(obj: GotObject, bucket: string, key: string): AsyncGenerator<Uint8Array> {
  const etag = plainEtag(obj.etag);
  // A multipart ETag can be recomputed only with the part size the upload recorded.
  const useHash = etag !== undefined && (obj.partSize !== undefined || !etag.includes("-"));
  const hasher = useHash ? new EtagHasher(obj.partSize ?? Number.MAX_SAFE_INTEGER) : undefined;
  let n = 0;
  try {
    for await (const c of obj.body) {
      n += c.length;
      if (useHash) hasher?.update(c);
      yield c;
    }
  } catch (e) {
    throw s3Error(e, `download s3://${bucket}/${key}`, bucket, key);
  }
  if (n < obj.size) {
    // The connection ended early without an error (the server went away mid-body).
    throw new S3Error(
      "ERR_S3_NETWORK",
      `download of s3://${bucket}/${key} ended after ${n} of ${obj.size} bytes`,
      {
        bucket,
        key,
      },
    );
  }
  if (n !== obj.size || (useHash && hasher?.digest() !== etag)) {
    throw new S3Error(
      "ERR_S3_INTEGRITY",
      `s3://${bucket}/${key}: the bytes received do not match the object`,
      {
        bucket,
        key,
      },
    );
  }
}

/** A multipart upload that was started and never completed or aborted. */
export interface IncompleteUpload {
  key: string;
  uploadId: string;
  initiated: Date | undefined;
}

/** Multipart uploads left under `prefix` (by a killed process, typically). */
export async function listIncompleteUploads(
  client: S3Client,
  bucket: string,
  prefix = "",
): Promise<IncompleteUpload[]> {
  const out: IncompleteUpload[] = [];
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  for (;;) {
    let r: ListMultipartUploadsCommandOutput;
    try {
      r = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: idMarker,
        }),
      );
    } catch (e) {
      throw s3Error(e, `list uploads in s3://${bucket}/${prefix}`, bucket, prefix);
    }
    for (const u of r.Uploads ?? []) {
      if (u.Key !== undefined && u.UploadId !== undefined) {
        out.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated });
      }
    }
    if (!r.IsTruncated) return out;
    keyMarker = r.NextKeyMarker;
    idMarker = r.NextUploadIdMarker;
  }
}

/**
 * Aborts multipart uploads under `prefix` started before `olderThan` (default: now, i.e. all;
 * pass an earlier date to spare uploads still running elsewhere). Their parts are freed.
 *
 * @returns the uploads aborted.
 */
export async function abortIncompleteUploads(
  client: S3Client,
  bucket: string,
  prefix = "",
  olderThan: Date = new Date(),
): Promise<IncompleteUpload[]> {
  const done: IncompleteUpload[] = [];
  for (const u of await listIncompleteUploads(client, bucket, prefix)) {
    if (u.initiated && u.initiated > olderThan) continue;
    try {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }),
      );
      done.push(u);
    } catch (e) {
      const err = s3Error(e, `abort upload of s3://${bucket}/${u.key}`, bucket, u.key);
      if (err.s3Code !== "NoSuchUpload") throw err;
    }
  }
  return done;
}
