// The one test the commands make before anything S3 loads: kept apart from s3.ts, which imports
// @dms/storage-s3's types and is itself imported only for s3:// arguments.

/** True for an `s3://` argument; checked without loading anything. */
export function isS3Url(s: string | undefined): s is string {
  return typeof s === "string" && /^s3:\/\//i.test(s);
}
