export type { InspectResult, StanzaInfo } from "./access/inspect.js";
export {
  blobRangeSource,
  type EncryptedFile,
  type FetchLike,
  httpRangeSource,
  type RangeSource,
} from "./access/range.js";
export { AgeDecryptor, AgeEncryptor } from "./adapters/classes.js";
export { decryptNodeStream, encryptNodeStream } from "./adapters/node.js";
export { createDecryptStream, createEncryptStream } from "./adapters/web.js";
export * from "./archive/index.js";
export type { BackendName } from "./backend/types.js";
export * from "./core.js";
export { fileRangeSource, inspect, openEncrypted } from "./fs/access.js";
export { decryptFile, encryptFile, type FileOptions } from "./fs/file.js";
