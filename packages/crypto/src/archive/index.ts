// Directory mode: what the package exports of archive/.

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
