// Directory mode, random access and inspect (issue 4) are exported from here.

export {
  type EncryptDirectoryOptions,
  type ExtractDirectoryOptions,
  encryptDirectory,
  extractDirectory,
} from "./archive/directory.js";
export { ARCHIVE_ERROR_CODES } from "./archive/errors.js";
export type { ExtractResult } from "./archive/extract.js";
export { EXTRACT_DEFAULTS, type ExtractOptions } from "./archive/names.js";
export type { PackResult } from "./archive/pack.js";
export { type InspectResult, inspect, type StanzaInfo } from "./inspect.js";
export {
  blobRangeSource,
  chunkSpan,
  type EncryptedFile,
  type FetchLike,
  fileRangeSource,
  httpRangeSource,
  openEncrypted,
  type PayloadLayout,
  payloadLayout,
  type RangeSource,
} from "./range.js";
