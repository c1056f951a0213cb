export { type ClientSource, createS3Client, type S3ClientOptions } from "./client.js";
export {
  decryptObject,
  type PushOptions,
  type PushResult,
  pullEncrypted,
  pullEncryptedTo,
  pushEncrypted,
} from "./encrypted.js";
export { isS3Error, S3Error, type S3ErrorCode, type S3ErrorOptions } from "./errors.js";
export {
  abortIncompleteUploads,
  type IncompleteUpload,
  listIncompleteUploads,
  listObjects,
  type ObjectInfo,
} from "./objects.js";
export {
  isS3Url,
  isSingleObject,
  parseS3Url,
  parseSpec,
  type S3Location,
  type S3Params,
  type SpecConfigLike,
} from "./params.js";
export { S3Provider, type TransferOptions } from "./provider.js";
export { openEncryptedObject, s3RangeSource } from "./range.js";
export { STAGING_PREFIX, sweepStalePulls } from "./staging.js";
export { PartPool, type PutOptions, putStream } from "./upload.js";
