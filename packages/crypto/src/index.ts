export type { BackendName } from "./backend.js";
export { AgeDecryptor, AgeEncryptor } from "./classes.js";
export { decrypt } from "./decrypt.js";
export * from "./dir.js";
export { encrypt } from "./encrypt.js";
export {
  AgeError,
  type AgeErrorCode,
  type AgeErrorDetails,
  type ArchiveErrorCode,
  isAgeError,
} from "./errors.js";
export { decryptFile, encryptFile, type FileOptions } from "./file.js";
export {
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  parseRecipients,
} from "./keys.js";
export { decryptNodeStream, encryptNodeStream } from "./node.js";
export type { CommonOptions, DecryptOptions, EncryptOptions, Progress } from "./options.js";
export { ciphertextSize, plaintextSize } from "./size.js";
export { createDecryptStream, createEncryptStream } from "./web.js";
