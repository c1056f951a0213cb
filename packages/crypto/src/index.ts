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
export {
  AgeError,
  type AgeErrorCode,
  type AgeErrorDetails,
  type ArchiveErrorCode,
  isAgeError,
} from "./errors.js";
export { looksPassphraseEncrypted } from "./format/sniff.js";
export { fileRangeSource, inspect, openEncrypted } from "./fs/access.js";
export { decryptFd, encryptFd, encryptToChunks, type FdInput } from "./fs/fd.js";
export { decryptFile, encryptFile, type FileOptions } from "./fs/file.js";
export {
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  parseRecipients,
} from "./recipients/keys.js";
export { decrypt } from "./session/decrypt.js";
export { encrypt } from "./session/encrypt.js";
export type { CommonOptions, DecryptOptions, EncryptOptions, Progress } from "./session/options.js";
export { ciphertextSize, plaintextSize } from "./stream/size.js";
