/** Stable codes of {@link S3Error}; callers branch on these, never on the message. */
export type S3ErrorCode =
  | "ERR_S3_PARAMS" // a SpecConfig or s3:// URL that cannot be used (missing bucket, wrong type, ...)
  | "ERR_S3_CREDENTIALS" // the access key is unknown or the signature does not match
  | "ERR_S3_ACCESS_DENIED" // the credentials are valid but not allowed this operation
  | "ERR_S3_NO_BUCKET" // the bucket does not exist
  | "ERR_S3_NO_KEY" // the object, or every object under the prefix, does not exist
  | "ERR_S3_UNSAFE_KEY" // a key that would land outside the volume (`../x`, `/x`, empty segments) or cannot be a file name (control characters, a segment over 255 bytes)
  | "ERR_S3_INTEGRITY" // the bytes received do not match the digest stored at upload
  | "ERR_S3_CHANGED" // the object changed between two reads of one transfer (ETag differs)
  | "ERR_S3_NETWORK" // the server could not be reached or failed (5xx) after every retry
  | "ERR_S3_ABORTED" // the caller's AbortSignal fired; nothing was left behind
  | "ERR_S3_REMOTE"; // any other error the server returned; its S3 code is in `s3Code`

/** Options of {@link S3Error}. */
export interface S3ErrorOptions {
  cause?: unknown;
  bucket?: string | undefined;
  key?: string | undefined;
  s3Code?: string | undefined;
  status?: number | undefined;
}

/** The one error class of @dms/storage-s3. */
export class S3Error extends Error {
  override readonly name = "S3Error";
  readonly code: S3ErrorCode;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** The server's error code (`NoSuchBucket`, `SignatureDoesNotMatch`, ...), when there is one. */
  readonly s3Code: string | undefined;
  /** HTTP status of the failed request, when there is one. */
  readonly status: number | undefined;
  constructor(code: S3ErrorCode, message: string, o: S3ErrorOptions = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.code = code;
    this.bucket = o.bucket;
    this.key = o.key;
    this.s3Code = o.s3Code;
    this.status = o.status;
  }
}

/** True when `e` is an {@link S3Error} (with the given code, if one is passed). */
export function isS3Error(e: unknown, code?: S3ErrorCode): e is S3Error {
  return e instanceof S3Error && (code === undefined || e.code === code);
}

const NETWORK_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);

function errnoOf(e: unknown): string | undefined {
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_ERRNO.has(code)) return code;
  }
  return undefined;
}

/**
 * Maps an SDK or network failure to an {@link S3Error}. `what` names the operation for the
 * message ("upload to s3://b/k").
 */
export function s3Error(e: unknown, what: string, bucket?: string, key?: string): S3Error {
  if (e instanceof S3Error) return e;
  const o = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const s3Code = o?.Code ?? o?.name;
  const status = o?.$metadata?.httpStatusCode;
  const base = { cause: e, bucket, key, s3Code, status };
  const where = key === undefined ? `s3://${bucket ?? ""}` : `s3://${bucket}/${key}`;
  if (o?.name === "AbortError" || s3Code === "AbortError") {
    return new S3Error("ERR_S3_ABORTED", `${what} was aborted`, base);
  }
  switch (s3Code) {
    case "InvalidAccessKeyId":
    case "SignatureDoesNotMatch":
    case "CredentialsProviderError":
      return new S3Error(
        "ERR_S3_CREDENTIALS",
        `${what} failed: the server refused the credentials (${s3Code}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
        base,
      );
    case "AccessDenied":
    case "Forbidden":
      return new S3Error("ERR_S3_ACCESS_DENIED", `${what} failed: access denied to ${where}`, base);
    case "NoSuchBucket":
      return new S3Error(
        "ERR_S3_NO_BUCKET",
        `${what} failed: bucket ${JSON.stringify(bucket)} does not exist`,
        base,
      );
    case "NoSuchKey":
    case "NotFound":
      return new S3Error("ERR_S3_NO_KEY", `${what} failed: ${where} does not exist`, base);
    case "PreconditionFailed":
      return new S3Error("ERR_S3_CHANGED", `${what} failed: ${where} changed while it was being read`, base);
  }
  if (errnoOf(e) || (status !== undefined && status >= 500) || o?.name === "TimeoutError") {
    return new S3Error(
      "ERR_S3_NETWORK",
      `${what} failed after retries: ${errnoOf(e) ?? s3Code ?? `HTTP ${status}`}; is the endpoint up?`,
      base,
    );
  }
  if (status === 403)
    return new S3Error("ERR_S3_ACCESS_DENIED", `${what} failed: access denied to ${where}`, base);
  if (status === 404) return new S3Error("ERR_S3_NO_KEY", `${what} failed: ${where} does not exist`, base);
  return new S3Error("ERR_S3_REMOTE", `${what} failed: ${s3Code ?? "unknown error"}`, base);
}
