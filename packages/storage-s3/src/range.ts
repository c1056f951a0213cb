import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type DecryptOptions, type EncryptedFile, openEncrypted, type RangeSource } from "@dms/crypto";
import { S3Error, s3Error } from "./errors.js";
import { headObject } from "./objects.js";

/**
 * A range source (for `@dms/crypto`'s `openEncrypted`) over one object: the size from HEAD, each
 * read one ranged GET. Every GET is pinned to the ETag seen at HEAD (If-Match), so an object
 * replaced while it is read fails with ERR_S3_CHANGED instead of mixing two versions.
 *
 * @throws S3Error (from its methods) ERR_S3_NO_KEY, ERR_S3_CHANGED, ERR_S3_NETWORK, ...
 */
export function s3RangeSource(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): RangeSource {
  let etag: string | undefined;
  let size: number | undefined;
  return {
    async size() {
      if (size === undefined) {
        const h = await headObject(client, bucket, key, signal);
        size = h.size;
        etag = h.etag;
      }
      return size;
    },
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      const what = `ranged read of s3://${bucket}/${key}`;
      try {
        const r = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            Range: `bytes=${offset}-${offset + length - 1}`,
            ...(etag ? { IfMatch: etag } : {}),
          }),
          signal ? { abortSignal: signal } : {},
        );
        if (!r.ContentRange?.startsWith(`bytes ${offset}-`)) {
          throw new S3Error("ERR_S3_REMOTE", `${what}: the server ignored the range`, { bucket, key });
        }
        const bytes = await (
          r.Body as { transformToByteArray(): Promise<Uint8Array> }
        ).transformToByteArray();
        if (bytes.length !== length) {
          throw new S3Error("ERR_S3_INTEGRITY", `${what}: got ${bytes.length} bytes instead of ${length}`, {
            bucket,
            key,
          });
        }
        return bytes;
      } catch (e) {
        throw s3Error(e, what, bucket, key);
      }
    },
  };
}

/**
 * Opens an encrypted object for random access: the header and the final chunk are read and
 * authenticated first (so the size is trusted), then each `read` fetches only the chunks it needs.
 *
 * @throws AgeError (wrong key, damaged object) or S3Error (missing object, network).
 * @example
 * ```ts
 * const f = await openEncryptedObject(client, "jobs", "inputs/video.age", { identities: [key] });
 * const tail = await f.read(f.size - 1_048_576, 1_048_576);
 * await f.close();
 * ```
 */
export function openEncryptedObject(
  client: S3Client,
  bucket: string,
  key: string,
  o: DecryptOptions,
): Promise<EncryptedFile> {
  return openEncrypted(s3RangeSource(client, bucket, key, o.signal), o);
}
