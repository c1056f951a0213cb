// Directory mode, random access and inspect (issue 4) are exported from here.

export { type InspectResult, inspect, type StanzaInfo } from "../access/inspect.js";
export {
  blobRangeSource,
  type EncryptedFile,
  type FetchLike,
  fileRangeSource,
  httpRangeSource,
  openEncrypted,
  type RangeSource,
} from "../access/range.js";
export { chunkSpan, type PayloadLayout, payloadLayout } from "../stream/size.js";
export {
  type EncryptDirectoryOptions,
  type ExtractDirectoryOptions,
  encryptDirectory,
  extractDirectory,
} from "./directory.js";
export { ARCHIVE_ERROR_CODES } from "./errors.js";
export type { ExtractResult } from "./extract.js";
export { EXTRACT_DEFAULTS, type ExtractOptions } from "./names.js";
export type { PackResult } from "./pack.js";
